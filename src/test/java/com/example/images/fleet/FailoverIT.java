package com.example.images.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.db.DatabaseUrl;
import com.example.images.fleet.Fleet.Result;
import com.example.images.support.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The replicated database under load while its nodes die: {@code bin/cluster up --db-replicas 2}
 * runs etcd, three PostgreSQL 15 nodes under Patroni (one synchronous standby), two instances and
 * NGINX; Gatling sends reads and reorder writes. The primary is killed (its Patroni and its
 * postgres, kill -9: the machine died), then a replica; the old primary comes back as a replica;
 * the last test reads every acknowledged write back from the primary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {

    private static final int RATE = Integer.getInteger("failover.rate", 100);
    private static final double WRITE_RATIO = 0.1;
    private static final int NODES = 3;
    private static final Set<Integer> OK = Set.of(200, 201, 204, 304);
    private static final Set<Integer> READ_OK = Set.of(200, 304);
    /**
     * Slack after the new primary has its synchronous standby: the pools try to connect every
     * 250 ms ({@code ReconnectingDataSource}), the gate's next probe takes the new connection, and
     * a commit waits until the standby streams from the new primary. Before the pools retried on
     * their own, Hikari's back-off (up to 5 s between attempts) once took 6.2 s here.
     */
    private static final long RECOVERY_MS = 5_000;

    private static Fleet fleet;
    private static int dbPort;
    private static int basePort;
    private static final List<Result> allResults = new ArrayList<>();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startCluster() throws Exception {
        fleet = new Fleet("failover");
        basePort = Fleet.freeRange(2);
        dbPort = Fleet.freeRange(42);
        fleet.cluster("up", "--instances", "2", "--db-replicas", String.valueOf(NODES - 1),
                "--port", String.valueOf(fleet.nginxPort), "--base-port", String.valueOf(basePort),
                "--db-port", String.valueOf(dbPort), "--data-dir", fleet.run.resolve("data").toString(),
                "--pool-size", "8", "--write-rate", "1000r/s");
        fleet.prepareWrites(100);
        fleet.load("warmup", RATE, 10, 0, () -> { });
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (fleet != null) {
            fleet.cluster("down");
            try (var files = Files.walk(fleet.run.resolve("data"))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void a_read_that_sends_a_writes_commit_lsn_sees_that_write_on_the_other_instance() throws Exception {
        var one = new Http("http://127.0.0.1:" + basePort);
        var other = new Http("http://127.0.0.1:" + (basePort + 1));
        String created = one.send("POST", "/api/products", "{\"name\":\"Read your writes\",\"images\":["
                        + IntStream.range(0, 5).mapToObj(i -> "{\"url\":\"https://cdn.example.com/ryw/" + i + ".jpg\"}")
                        .collect(Collectors.joining(",")) + "]}",
                "Authorization", "Bearer " + fleet.token, "Content-Type", "application/json").body();
        long productId = Long.parseLong(Fleet.firstGroup("\"productId\"\\s*:\\s*(\\d+)", created, "0"));
        List<String> order = new ArrayList<>(Fleet.imageIds(created));

        for (int round = 0; round < 100; round++) {
            Collections.rotate(order, 1);
            Http writer = round % 2 == 0 ? one : other;
            Http reader = round % 2 == 0 ? other : one;
            var written = writer.send("PUT", "/api/products/" + productId + "/images/order",
                    "{\"imageIds\":[" + String.join(",", order) + "]}",
                    "Authorization", "Bearer " + fleet.token, "Content-Type", "application/json");
            assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
            String lsn = written.headers().firstValue("X-Commit-LSN").orElseThrow();

            var read = reader.get("/api/products/" + productId + "/images", "X-Min-LSN", lsn);

            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(Fleet.imageIds(read.body())).as("round %d, after %s", round, lsn).isEqualTo(order);
        }
    }

    @Test
    @Order(2)
    void kill_9_of_the_primary_under_load_fails_no_read_and_writes_get_503s_only_during_the_failover() throws Exception {
        long[] times = new long[3];
        long[] patroniPrimaryAt = new long[1];
        int[] killed = new int[1];
        var readiness = new ReadinessWatch(basePort, 2);
        List<Result> results;
        try (readiness) {
            results = load("primary-kill", 50, () -> {
                Fleet.sleep(10_000);
                killed[0] = nodeAnswering("primary").orElseThrow();
                times[0] = System.currentTimeMillis();
                killNode(killed[0]);
                // The times come from PostgreSQL, not from Patroni's REST API: Patroni's /primary
                // answers once it has the leader key, which was up to 5 s before PostgreSQL ended
                // recovery and took writes, and /sync from a standby once the key names it.
                OptionalInt primary;
                while ((primary = writableNode(killed[0])).isEmpty()) {
                    if (patroniPrimaryAt[0] == 0 && nodeAnswering("primary").isPresent()) {
                        patroniPrimaryAt[0] = System.currentTimeMillis();
                    }
                    Fleet.sleep(50);
                }
                times[1] = System.currentTimeMillis();
                // Commits wait for a synchronous standby once Patroni names one of the survivors.
                while (!hasSynchronousStandby(primary.getAsInt())) {
                    Fleet.sleep(50);
                }
                times[2] = System.currentTimeMillis();
            });
        }
        long killedAt = times[0];
        long newPrimaryAt = times[1];
        long syncAt = times[2];

        List<Result> writes = results.stream().filter(r -> r.kind().equals("write")).toList();
        List<Result> refused = writes.stream().filter(r -> !OK.contains(r.status())).toList();
        long slowest = refused.stream().mapToLong(Result::latency).max().orElse(0);
        long window = refused.isEmpty() ? 0
                : refused.stream().mapToLong(Result::end).max().orElseThrow() - refused.stream().mapToLong(Result::start).min().orElseThrow();
        String measured = "killed node-" + killed[0] + " at " + killedAt + "; failover (a new primary takes writes) "
                + (newPrimaryAt - killedAt) + " ms (Patroni's /primary: " + (patroniPrimaryAt[0] == 0 ? "not earlier" : (patroniPrimaryAt[0] - killedAt) + " ms")
                + "), with a synchronous standby " + (syncAt - killedAt)
                + " ms; write unavailability (first to last refused write) " + window
                + " ms; refused writes " + refused.size() + " of " + writes.size() + ", slowest refusal " + slowest
                + " ms; failed reads " + results.stream().filter(r -> r.kind().equals("read"))
                .filter(r -> !READ_OK.contains(r.status())).count()
                + "; readiness: " + readiness.writesRefused() + " answers 200 with writes unavailable, "
                + readiness.notReady().size() + " not ready, the slowest answer " + readiness.slowestMillis() + " ms";
        fleet.event("primary-kill", measured);
        System.out.println("primary-kill: " + measured);

        assertThat(results.stream().filter(r -> r.kind().equals("read")).filter(r -> !READ_OK.contains(r.status())))
                .as("failed reads").isEmpty();
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.retryAfter()).as("503 carries Retry-After").isTrue();
            assertThat(r.end()).as("refused after the kill").isGreaterThanOrEqualTo(killedAt);
            // A commit on the new primary waits until Patroni names its synchronous standby; the
            // refusal comes when the pool's socket timeout ends that wait, within the window.
            assertThat(r.end()).as("refused within the failover, until the new primary had its standby (+ %d ms)",
                    RECOVERY_MS).isLessThan(syncAt + RECOVERY_MS);
        });
        assertThat(writes.stream().filter(r -> r.start() > syncAt + RECOVERY_MS).filter(r -> OK.contains(r.status())))
                .as("writes acknowledged on the new primary").isNotEmpty();
        // Balancers that follow readiness (Kubernetes) keep sending reads: the instances say that
        // writes are refused, and stay ready.
        assertThat(readiness.notReady()).as("readiness answers other than 200 during the failover").isEmpty();
        assertThat(readiness.writesRefused()).as("readiness said writes were unavailable, while no primary answered")
                .isPositive();
    }

    @Test
    @Order(3)
    void the_old_primary_rejoins_as_a_replica_and_the_cluster_is_whole() throws Exception {
        fleet.cluster("db", "start");

        fleet.awaitReady();
        assertThat(IntStream.range(0, NODES).filter(n -> answers(n, "primary")).count()).isEqualTo(1);
        assertThat(IntStream.range(0, NODES).filter(n -> answers(n, "replica")).count()).isEqualTo(NODES - 1);
        assertThat(IntStream.range(0, NODES).filter(n -> answers(n, "sync")).count()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void kill_9_of_a_replica_under_load_fails_no_read() throws Exception {
        int[] killed = new int[1];
        List<Result> results = load("replica-kill", 25, () -> {
            Fleet.sleep(8_000);
            killed[0] = nodeAnswering("sync").orElseThrow();
            killNode(killed[0]);
            fleet.event("replica-kill", "killed node-" + killed[0] + " (the synchronous standby) at " + System.currentTimeMillis());
        });

        assertThat(results.stream().filter(r -> r.kind().equals("read")).filter(r -> !READ_OK.contains(r.status())))
                .as("failed reads").isEmpty();
        assertThat(results.stream().filter(r -> r.kind().equals("write")).filter(r -> !OK.contains(r.status())))
                .allSatisfy(r -> assertThat(r.retryAfter()).as("a refused write carries Retry-After").isTrue());
        fleet.cluster("db", "start");
        fleet.awaitReady();
    }

    @Test
    @Order(5)
    void every_acknowledged_write_is_on_the_primary() throws Exception {
        Map<Long, List<Result>> byProduct = allResults.stream().filter(r -> r.kind().equals("write"))
                .collect(Collectors.groupingBy(Result::productId, TreeMap::new, Collectors.toList()));
        assertThat(allResults.stream().filter(r -> r.kind().equals("write") && OK.contains(r.status())).count())
                .as("acknowledged writes").isPositive();
        try (Connection primary = primary()) {
            for (var entry : byProduct.entrySet()) {
                List<Result> attempts = entry.getValue();
                // As in FleetResilienceIT: the order left is that of the last acknowledged write, of
                // one that overlapped it, or of a later one whose outcome the client never learned.
                long lastAcknowledgedStart = attempts.stream().filter(a -> OK.contains(a.status()))
                        .mapToLong(Result::start).max().orElse(Long.MIN_VALUE);
                var possible = attempts.stream().filter(a -> a.end() >= lastAcknowledgedStart)
                        .map(Result::order).filter(o -> !o.isEmpty()).toList();
                assertThat(possible).as("gallery order of product %d", entry.getKey()).contains(order(primary, entry.getKey()));
            }
        }
    }

    // --- the cluster ----------------------------------------------------------------------------

    /** Polls each instance's {@code /health/ready} every 250 ms until closed. */
    private static final class ReadinessWatch implements AutoCloseable {
        private final List<String> notReady = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger writesRefused = new AtomicInteger();
        private final AtomicLong slowestMillis = new AtomicLong();
        private final Thread poller;
        private volatile boolean closed;

        ReadinessWatch(int basePort, int instances) {
            poller = Thread.ofVirtual().start(() -> {
                while (!closed) {
                    for (int i = 0; i < instances; i++) {
                        check("http://127.0.0.1:" + (basePort + i) + "/health/ready");
                    }
                    Fleet.sleep(250);
                }
            });
        }

        private void check(String url) {
            try {
                long start = System.nanoTime();
                var response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                slowestMillis.accumulateAndGet(Duration.ofNanos(System.nanoTime() - start).toMillis(), Math::max);
                if (response.statusCode() != 200) {
                    notReady.add(System.currentTimeMillis() + " " + url + " " + response.statusCode() + " " + response.body());
                } else if (response.body().contains("\"writes\"")) {
                    writesRefused.incrementAndGet();
                }
            } catch (IOException e) {
                notReady.add(System.currentTimeMillis() + " " + url + " " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<String> notReady() {
            return List.copyOf(notReady);
        }

        int writesRefused() {
            return writesRefused.get();
        }

        /** The slowest answer, in ms (the deployment's readiness probe allows 3 s). */
        long slowestMillis() {
            return slowestMillis.get();
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            poller.join();
        }
    }

    private static List<Result> load(String name, int seconds, Fleet.ThrowingRunnable fault) throws Exception {
        List<Result> results = fleet.load(name, RATE, seconds, WRITE_RATIO, fault);
        allResults.addAll(results);
        return results;
    }

    /** Patroni's REST API: 200 from /primary on the leader, /replica on a streaming standby, /sync on the synchronous one. */
    private static boolean answers(int node, String role) {
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (dbPort + 20 + node) + "/" + role))
                    .timeout(Duration.ofSeconds(2)).build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static OptionalInt nodeAnswering(String role) {
        return IntStream.range(0, NODES).filter(n -> answers(n, role)).findFirst();
    }

    /** A node other than {@code killed} whose PostgreSQL takes writes (not in recovery), if one does. */
    private static OptionalInt writableNode(int killed) {
        return IntStream.range(0, NODES).filter(n -> n != killed)
                .filter(n -> queryNode(n, "SELECT NOT pg_is_in_recovery()")).findFirst();
    }

    /** Whether the node's PostgreSQL streams to a synchronous standby, which its commits wait for. */
    private static boolean hasSynchronousStandby(int node) {
        return queryNode(node, "SELECT EXISTS (SELECT 1 FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum'))");
    }

    /** The one boolean {@code sql} returns on the node, false when the node does not answer. */
    private static boolean queryNode(int node, String sql) {
        String url = "jdbc:postgresql://127.0.0.1:" + (dbPort + node) + "/postgres?user=postgres&connectTimeout=1&socketTimeout=2";
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** kill -9 of the node's Patroni and then its postmaster: the machine is gone. */
    private static void killNode(int node) throws Exception {
        String patroni = Files.readString(fleet.run.resolve("patroni-" + node + ".pid")).strip();
        Path postmasterPid = fleet.run.resolve("data/patroni/node-" + node + "/data/postmaster.pid");
        String postmaster = Files.readAllLines(postmasterPid).getFirst().strip();
        new ProcessBuilder("kill", "-9", patroni, postmaster).inheritIO().start().waitFor();
    }

    private static Connection primary() throws SQLException {
        String hosts = IntStream.range(0, NODES).mapToObj(n -> "127.0.0.1:" + (dbPort + n)).collect(Collectors.joining(","));
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://" + hosts + "/postgres?user=postgres").primary();
        return DriverManager.getConnection(url.jdbcUrl());
    }

    private static String order(Connection primary, long productId) throws SQLException {
        try (PreparedStatement statement = primary.prepareStatement(
                "SELECT id FROM images WHERE product_id = ? AND status = 'ready' ORDER BY position")) {
            statement.setLong(1, productId);
            try (ResultSet rs = statement.executeQuery()) {
                var ids = new ArrayList<String>();
                while (rs.next()) {
                    ids.add(String.valueOf(rs.getLong(1)));
                }
                return String.join(" ", ids);
            }
        }
    }
}
