package com.example.images.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Await;
import com.example.images.support.Locks;
import com.example.images.support.Ports;
import com.example.images.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} with the embedded PostgreSQL, stopped by SIGTERM in a real child process: the
 * database must outlive the drain, so a request held in flight by a table lock is still answered.
 */
class EmbeddedSigtermTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void sigterm_drains_the_request_in_flight_before_the_embedded_database_stops() throws Exception {
        Path dir = TestDatabase.tempDir("embedded-sigterm");
        Path log = dir.resolve("serve.log");
        int port = Ports.free();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "com.example.images.cli.Main", "serve", "--port", Integer.toString(port), "--data-dir", dir.toString(),
                // The held query must outlast the drain, not the statement timeout.
                "--db-timeout-ms", "30000", "--shutdown-drain-delay-ms", "0", "--shutdown-timeout-ms", "20000"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await(child, log, "ready", () -> status(port, "/health/ready") == 200);
            CompletableFuture<HttpResponse<String>> held;
            String url = "jdbc:postgresql://127.0.0.1:" + postgresPort(dir) + "/postgres";
            try (Connection lock = DriverManager.getConnection(url, "postgres", "");
                 // Its own connection: a transaction sees pg_stat_activity as of its first look.
                 Connection watch = DriverManager.getConnection(url, "postgres", "")) {
                lock.setAutoCommit(false);
                try (Statement st = lock.createStatement()) {
                    st.execute("LOCK TABLE images IN ACCESS EXCLUSIVE MODE");
                }
                // The merchant view: never cached, always a query.
                held = client.sendAsync(get(port, "/api/products/1"), HttpResponse.BodyHandlers.ofString());
                await(child, log, "the product query waits on the lock", () -> Locks.queryWaits(watch, "i.status, i.failure_reason"));

                child.destroy();
                await(child, log, "the drain refuses new connections", () -> status(port, "/health/live") == 0);
                Thread.sleep(500);
                assertThat(lock.isValid(5)).as("the database is still up during the drain").isTrue();
                assertThat(held).as("the request is still held").isNotDone();
                assertThat(child.isAlive()).as("serve waits for it").isTrue();
                lock.rollback();
            }

            HttpResponse<String> response = held.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(Files.readString(log)).isEqualTo(200);
            assertThat(response.body()).contains("\"images\"");
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("serve stopped").isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            stopOrphanedPostgres(dir);
        }
    }

    private HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .build();
    }

    /** The status, or 0 when nothing answers. */
    private int status(int port, String path) {
        try {
            return client.send(get(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception refused) {
            return 0;
        }
    }

    /** postmaster.pid: its first line is the server's PID, its fourth the port. */
    private static int postgresPort(Path dir) throws Exception {
        return Integer.parseInt(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(3).trim());
    }

    private static void stopOrphanedPostgres(Path dir) throws Exception {
        Path pid = dir.resolve("postgres/postmaster.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim())).ifPresent(ProcessHandle::destroy);
        }
    }

    private static void await(Process child, Path log, String what, Await.Condition condition) throws Exception {
        Await.until(what, Duration.ofSeconds(90), condition,
                () -> "serve " + (child.isAlive() ? "running" : "exited") + ", its log:\n" + Files.readString(log));
    }
}
