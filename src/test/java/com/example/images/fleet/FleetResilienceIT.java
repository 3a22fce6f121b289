package com.example.images.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.fleet.Fleet.Result;
import com.example.images.support.Http;
import com.example.images.support.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fleet under load while things break: {@code bin/cluster} runs NGINX, 3 instances and the
 * embedded PostgreSQL; {@code load/run.sh} (Gatling, constant arrival rate) sends reads and, when
 * the write API is there, reorder writes; each test breaks something mid-run and then judges
 * every single request from Gatling's per-request results. The scenarios share one fleet, and the
 * last test reads back every write acknowledged in the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetResilienceIT {

    private static final int RATE = Integer.getInteger("fleet.rate", 500);
    private static final int DURATION = Integer.getInteger("fleet.duration", 30);
    private static final double WRITE_RATIO = Double.parseDouble(System.getProperty("fleet.writeRatio", "0.05"));
    private static final int WRITE_PRODUCTS = 200;
    private static final Set<Integer> OK = Set.of(200, 201, 204, 304);
    /** nginx gives up after proxy_next_upstream_timeout (4 s) plus one read timeout (3 s). */
    private static final long HANG_MS = 10_000;

    private static Fleet cluster;
    private static Path run;
    private static String token;
    private static Http fleet;
    private static boolean writes;
    private static final List<Result> allResults = new ArrayList<>();

    @BeforeAll
    static void startFleet() throws Exception {
        cluster = new Fleet("fleet");
        run = cluster.run;
        token = cluster.token;
        fleet = cluster.http;
        int basePort = Fleet.freeRange(3);
        int dbPort = Ports.free();
        cluster("up", "--instances", "3", "--port", String.valueOf(cluster.nginxPort), "--base-port", String.valueOf(basePort),
                "--db-port", String.valueOf(dbPort), "--data-dir", run.resolve("data").toString(), "--write-rate", "1000r/s");
        writes = prepareWrites();
        // Warms the JVMs (and builds the load project) so that the scenarios start at speed.
        load("warmup", Math.max(5, DURATION / 4), () -> { });
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (run != null) {
            cluster.down();
        }
    }

    @Test
    @Order(1)
    void kill_9_of_one_instance_under_load_fails_no_request() throws Exception {
        long[] killedAt = new long[1];
        List<Result> results = load("kill-9", DURATION, () -> {
            Fleet.sleep(DURATION * 1000L / 3);
            long pid = Long.parseLong(Files.readString(run.resolve("instance-2.pid")).strip());
            killedAt[0] = System.currentTimeMillis();
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor();
            event("kill-9", "killed " + killedAt[0]);
        });

        assertThat(results.stream().filter(r -> r.start() > killedAt[0])).as("load went on after the kill").isNotEmpty();
        assertNoFailures(results);
        awaitReady();
    }

    @Test
    @Order(2)
    void a_rolling_restart_of_every_instance_under_load_fails_no_request() throws Exception {
        long[] restart = new long[2];
        List<Result> results = load("rolling-restart", DURATION + 20, () -> {
            Fleet.sleep(5_000);
            restart[0] = System.currentTimeMillis();
            cluster("restart");
            restart[1] = System.currentTimeMillis();
            event("rolling-restart", "restart " + restart[0] + " " + restart[1]);
        });

        assertThat(results.stream().filter(r -> r.start() > restart[1])).as("the restart ended before the load").isNotEmpty();
        assertNoFailures(results);
        // Each instance that stopped gracefully left its classes archived; the successors map the archive.
        for (int n = 1; n <= 3; n++) {
            String pid = Files.readString(run.resolve("instance-" + n + ".pid")).strip();
            assertThat(Files.readString(Path.of("/proc", pid, "maps"))).as("instance %d maps the class archive", n)
                    .contains(Fleet.ROOT.resolve("target/images-serve.jsa").toString());
        }
    }

    @Test
    @Order(3)
    void postgres_stopped_for_5_s_gives_only_503s_or_cached_200s_and_only_200s_from_5_s_after_it_is_back()
            throws Exception {
        long[] outage = new long[2];
        // Longer than the other scenarios: stopping and starting the database each start a JVM, which
        // took long enough on a slow CI machine that the load ended less than 5 s after the database was back.
        List<Result> results = load("db-outage", DURATION + 20, () -> {
            Fleet.sleep(DURATION * 1000L / 4);
            outage[0] = System.currentTimeMillis();
            cluster("db", "stop");
            Fleet.sleep(5_000);
            cluster("db", "start");
            outage[1] = System.currentTimeMillis();
            event("db-outage", "stopped " + outage[0] + " back " + outage[1]);
        });
        long stopped = outage[0];
        long back = outage[1];

        assertThat(results).allSatisfy(r -> assertThat(r.status()).as("an answer for every request").isNotZero());
        assertThat(results.stream().filter(r -> r.end() < stopped).filter(r -> !OK.contains(r.status())))
                .as("failures before the database stopped").isEmpty();
        List<Result> gap = results.stream().filter(r -> r.end() >= stopped && r.start() < back + 5_000).toList();
        assertThat(gap).as("requests during the outage").isNotEmpty();
        assertThat(gap).allSatisfy(r -> {
            assertThat(r.status()).isIn(200, 201, 204, 304, 503);
            if (r.status() == 503) {
                assertThat(r.retryAfter()).as("503 carries Retry-After").isTrue();
            }
        });
        assertThat(results.stream().filter(r -> r.start() >= back + 5_000).filter(r -> !OK.contains(r.status())))
                .as("failures from 5 s after the database is back").isEmpty();
        assertThat(results.stream().filter(r -> r.start() >= back + 5_000)).as("load went on after recovery").isNotEmpty();
        assertThat(results.stream().mapToLong(Result::latency).max().orElse(0)).as("longest request, ms").isLessThan(HANG_MS);
        awaitReady();
    }

    @Test
    @Order(4)
    void every_acknowledged_write_can_be_read_back() {
        Assumptions.assumeTrue(writes, "the write API (PUT /api/products/{id}/images/order) is not in this build");
        Map<Long, List<Result>> byProduct = allResults.stream().filter(r -> r.kind().equals("write"))
                .collect(Collectors.groupingBy(Result::productId, TreeMap::new, Collectors.toList()));
        long acknowledged = allResults.stream().filter(r -> r.kind().equals("write") && OK.contains(r.status())).count();
        assertThat(acknowledged).as("acknowledged writes").isPositive();

        byProduct.forEach((productId, attempts) -> {
            // Linearizability: the order left is that of a write no acknowledged write began after
            // the end of. That is the last acknowledged write, any write still in flight when it
            // began (two writes that overlap in time have no order the client could know), or a
            // later one whose outcome the client never learned. A write that ended before an
            // acknowledged one began and still wins (say, applied late after a proxy retried it
            // elsewhere) fails the test.
            long lastAcknowledgedStart = attempts.stream().filter(a -> OK.contains(a.status()))
                    .mapToLong(Result::start).max().orElse(Long.MIN_VALUE);
            var possible = attempts.stream().filter(a -> a.end() >= lastAcknowledgedStart)
                    .map(Result::order).filter(o -> !o.isEmpty()).toList();
            String actual = readOrder(productId);
            assertThat(possible).as("gallery order of product %d", productId).contains(actual);
        });
    }

    @Test
    @Order(5)
    void through_nginx_a_client_that_accepts_gzip_gets_strong_etags_it_can_write_with() {
        var created = fleet.send("POST", "/api/products", "{\"name\":\"Strong tag through nginx\",\"images\":["
                        + "{\"url\":\"https://cdn.example.com/etag/0.jpg\",\"alt\":\"a picture long enough to be compressed\"}]}",
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long productId = Long.parseLong(Fleet.firstGroup("\"productId\"\\s*:\\s*(\\d+)", created.body(), "0"));
        String path = "/api/products/" + productId;

        var read = fleet.get(path + "/images", "Accept-Encoding", "gzip");
        var renamed = fleet.send("PATCH", path, "{\"name\":\"Strong tag through nginx, renamed for the test\"}",
                "Authorization", "Bearer " + token, "Content-Type", "application/json", "Accept-Encoding", "gzip");

        // nginx turns a strong ETag weak when it compresses a response, and If-Match refuses weak tags.
        assertThat(read.headers().firstValue("ETag")).hasValueSatisfying(tag -> assertThat(tag).startsWith("\""));
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        String etag = renamed.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"");
        var again = fleet.send("PATCH", path, "{\"name\":\"Strong tag through nginx, renamed with If-Match\"}",
                "Authorization", "Bearer " + token, "Content-Type", "application/json", "If-Match", etag);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    }

    // --- the fleet and the load -------------------------------------------------------------------

    private static List<Result> load(String name, int seconds, Fleet.ThrowingRunnable fault) throws Exception {
        List<Result> results = cluster.load(name, RATE, seconds, writes ? WRITE_RATIO : 0, fault);
        if (!name.equals("warmup")) {
            allResults.addAll(results);
        }
        return results;
    }

    /** Fault times, next to the scenario's results, for docs/RESILIENCE.md. */
    private static void event(String scenario, String line) throws IOException {
        cluster.event(scenario, line);
    }

    private static void assertNoFailures(List<Result> results) {
        Map<Integer, Long> statuses = results.stream().collect(Collectors.groupingBy(Result::status, TreeMap::new,
                Collectors.counting()));
        assertThat(statuses.keySet()).as("statuses seen by clients: %s", statuses).isSubsetOf(OK);
    }

    private static void cluster(String... args) throws Exception {
        cluster.cluster(args);
    }

    private static void awaitReady() throws Exception {
        cluster.awaitReady();
    }

    /** Creates the products the writes reorder, when this build has the write API. */
    private static boolean prepareWrites() throws IOException {
        // Without the write API there is no such route: 404 (or 405 if another method has it).
        int probe = fleet.send("POST", "/api/products", "{}", "Content-Type", "application/json").statusCode();
        if (probe == 404 || probe == 405) {
            return false;
        }
        cluster.prepareWrites(WRITE_PRODUCTS);
        return true;
    }

    private static String readOrder(long productId) {
        var response = fleet.get("/api/products/" + productId + "/images");
        assertThat(response.statusCode()).isEqualTo(200);
        return String.join(" ", Fleet.imageIds(response.body()));
    }
}
