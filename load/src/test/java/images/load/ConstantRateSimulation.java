package images.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A constant arrival rate (open model: new requests keep coming whatever the latency) of gallery
 * reads, optionally mixed with writes, for a fixed time. Everything comes from system properties
 * (load/run.sh passes them):
 * <ul>
 *   <li>{@code baseUrl} (http://127.0.0.1:8080), {@code rate} requests/s (600),
 *       {@code duration} seconds (30);</li>
 *   <li>{@code idMin}, {@code idMax}: reads ask for uniformly random product ids in this range (1..1000);</li>
 *   <li>{@code writeRatio} (0): this share of the rate is writes, {@code PUT /api/products/{id}/images/order}
 *       on the products of {@code writeFeed} (lines "productId imageId imageId ..."), each write a
 *       rotation of the previous one, with the bearer token from env {@code IMAGES_LOAD_TOKEN};</li>
 *   <li>{@code okStatuses} (200,201,204,304): others count as Gatling failures, e.g. add 503 for a
 *       database outage drill;</li>
 *   <li>{@code warmup} (0): seconds of reads ramping up to the rate before the measured phase,
 *       recorded with kind "warmup" and request name "warmup";</li>
 *   <li>{@code connections} (128): Gatling's {@code maxConnectionsPerHost}; it did not bound the
 *       shared pool in the 5,000 req/s runs (20,000 sockets opened after a stall);</li>
 *   <li>{@code results}: a file that gets one line per request: start ms, end ms, kind, product id,
 *       status (0 = no response), Retry-After present, the order written (writes).</li>
 * </ul>
 */
public class ConstantRateSimulation extends Simulation {

    private static final String BASE_URL = System.getProperty("baseUrl", "http://127.0.0.1:8080");
    private static final double RATE = Double.parseDouble(System.getProperty("rate", "600"));
    private static final int DURATION = Integer.parseInt(System.getProperty("duration", "30"));
    private static final long ID_MIN = Long.parseLong(System.getProperty("idMin", "1"));
    private static final long ID_MAX = Long.parseLong(System.getProperty("idMax", "1000"));
    private static final double WRITE_RATIO = Double.parseDouble(System.getProperty("writeRatio", "0"));
    private static final String WRITE_FEED = System.getProperty("writeFeed", "");
    private static final String TOKEN = System.getenv().getOrDefault("IMAGES_LOAD_TOKEN", "");
    private static final Integer[] OK = Arrays.stream(System.getProperty("okStatuses", "200,201,204,304").split(","))
            .map(String::trim).map(Integer::valueOf).toArray(Integer[]::new);
    private static final String RESULTS = System.getProperty("results", "");
    private static final int WARMUP = Integer.parseInt(System.getProperty("warmup", "0"));
    private static final int CONNECTIONS = Integer.parseInt(System.getProperty("connections", "128"));

    /** One product the writes reorder, and its image ids in their original order. */
    private record WriteTarget(long productId, List<Long> imageIds) {
    }

    // Each line goes to the file as its request ends. Kept in memory until after(), the lines
    // survived every young collection of Gatling's own JVM, whose pauses then grew over the run,
    // and each one showed up as a burst of slow requests that were the client's, not the
    // service's (docs/bench-log/2026-12-02-round-9.md).
    private final BufferedWriter results = openResults();
    private final List<WriteTarget> targets = loadTargets();
    private final AtomicLong writes = new AtomicLong();

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
            .acceptHeader("application/json")
            .acceptEncodingHeader("gzip")
            .disableCaching()
            .disableWarmUp()
            // One client sharing keep-alive connections, like a CDN or a proxy in front of browsers.
            // maxConnectionsPerHost was meant to bound it, but with one request per virtual user
            // Gatling still opened a new connection for every request that found none idle: after
            // a stall, up to its 20,000 file descriptors (docs/bench-log/2026-12-02-round-6.md).
            .shareConnections()
            .maxConnectionsPerHost(CONNECTIONS);

    /** When the first read started; reads in the {@link #WARMUP} seconds after it are the warm-up. */
    private final AtomicLong firstRead = new AtomicLong();

    /** A gallery read; warm-up reads get their own request name and kind, so reports can leave them out. */
    private final ChainBuilder read = exec(session -> {
        long now = System.currentTimeMillis();
        firstRead.compareAndSet(0, now);
        boolean warmup = now < firstRead.get() + WARMUP * 1000L;
        return session.set("t0", now)
                .set("id", ThreadLocalRandom.current().nextLong(ID_MIN, ID_MAX + 1))
                .set("name", warmup ? "warmup" : "gallery")
                .set("kind", warmup ? "warmup" : "read");
    })
            .exec(http(session -> session.getString("name"))
                    .get(session -> "/api/products/" + session.getLong("id") + "/images")
                    .check(status().saveAs("status"),
                            header("Retry-After").optional().saveAs("retryAfter"),
                            status().in(OK)))
            .exec(session -> record(session, session.getString("kind"), ""));

    private final ChainBuilder write = exec(session -> {
        long n = writes.getAndIncrement();
        WriteTarget target = targets.get((int) (n % targets.size()));
        List<Long> order = rotate(target.imageIds(), (int) ((n / targets.size() + 1) % target.imageIds().size()));
        return session.set("t0", System.currentTimeMillis()).set("id", target.productId())
                .set("order", join(order, ",")).set("orderLine", join(order, " "));
    })
            .exec(http("reorder").put(session -> "/api/products/" + session.getLong("id") + "/images/order")
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .body(StringBody(session -> "{\"imageIds\":[" + session.getString("order") + "]}"))
                    .check(status().saveAs("status"),
                            header("Retry-After").optional().saveAs("retryAfter"),
                            status().in(OK)))
            .exec(session -> record(session, "write", session.getString("orderLine")));

    {
        double writeRate = targets.isEmpty() ? 0 : RATE * WRITE_RATIO;
        var populations = new ArrayList<PopulationBuilder>();
        // The measured phase starts when the warm-up ends by the clock, not when its last user
        // finished (andThen): one warm-up request stuck in a connect timeout stalled the start by
        // 10 s, and the backlog then arrived as a burst.
        // The client's own JIT and connections warm up first, outside the measurement, ramping up
        // to the rate: starting cold at full rate, each request found no idle connection yet, and
        // thousands of connects at once were what collapsed the 5,000 req/s runs. One injection
        // profile carries the reads from the ramp into the measured phase: with the warm-up as a
        // scenario of its own, the measured phase began with a burst and its first second was the
        // worst of the run; as one, that second is like the others (docs/bench-log/2026-12-01-round-5.md).
        populations.add(scenario("reads").exec(read).injectOpen(WARMUP > 0
                ? List.of(rampUsersPerSec(Math.max(1, (RATE - writeRate) / 20)).to(RATE - writeRate).during(WARMUP),
                        constantUsersPerSec(RATE - writeRate).during(DURATION))
                : List.of(constantUsersPerSec(RATE - writeRate).during(DURATION))));
        if (writeRate > 0) {
            populations.add(scenario("writes").exec(write)
                    .injectOpen(nothingFor(WARMUP), constantUsersPerSec(writeRate).during(DURATION)));
        }
        setUp(populations).protocols(protocol)
                // Requests that hung until Gatling's request timeout are failures too.
                .assertions(global().failedRequests().count().is(0L));
    }

    private Session record(Session session, String kind, String detail) {
        if (results != null) {
            int status = session.contains("status") ? session.getInt("status") : 0;
            String line = session.getLong("t0") + "," + System.currentTimeMillis() + "," + kind + ","
                    + session.getLong("id") + "," + status + "," + session.contains("retryAfter") + "," + detail + "\n";
            try {
                synchronized (results) {
                    results.write(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + RESULTS, e);
            }
        }
        return session;
    }

    @Override
    public void after() {
        if (results == null) {
            return;
        }
        try {
            synchronized (results) {
                results.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + RESULTS, e);
        }
    }

    private static BufferedWriter openResults() {
        if (RESULTS.isEmpty()) {
            return null;
        }
        try {
            BufferedWriter out = Files.newBufferedWriter(Path.of(RESULTS));
            out.write("start_ms,end_ms,kind,product_id,status,retry_after,order\n");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + RESULTS, e);
        }
    }

    private static List<WriteTarget> loadTargets() {
        if (WRITE_RATIO <= 0 || WRITE_FEED.isEmpty()) {
            return List.of();
        }
        try {
            var list = new ArrayList<WriteTarget>();
            for (String line : Files.readAllLines(Path.of(WRITE_FEED))) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 2) {
                    list.add(new WriteTarget(Long.parseLong(parts[0]),
                            Arrays.stream(parts, 1, parts.length).map(Long::valueOf).toList()));
                }
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read writeFeed " + WRITE_FEED, e);
        }
    }

    private static List<Long> rotate(List<Long> ids, int by) {
        var rotated = new ArrayList<Long>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            rotated.add(ids.get((i + by) % ids.size()));
        }
        return rotated;
    }

    private static String join(List<Long> ids, String separator) {
        var text = new StringBuilder();
        for (Long id : ids) {
            if (!text.isEmpty()) {
                text.append(separator);
            }
            text.append(id);
        }
        return text.toString();
    }
}
