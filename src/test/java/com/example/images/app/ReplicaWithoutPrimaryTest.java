package com.example.images.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.auth.ApiTokens;
import com.example.images.db.Database;
import com.example.images.db.DatabaseUrl;
import com.example.images.support.Http;
import com.example.images.support.Ports;
import com.example.images.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A primary and a streaming replica (two real PostgreSQL servers, the replica a copy of the
 * primary's stopped data directory), and the service given both in one URL: it starts and reads
 * from the replica while no primary answers, and does not read a replica lagging beyond
 * {@code --max-replica-lag} until it catches up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaWithoutPrimaryTest {

    private static final String TOKEN = "replica-test-token-8d1e";
    private static final Duration MAX_LAG = Duration.ofSeconds(2);

    private static Path dir;
    private static int primaryPort;
    private static int replicaPort;
    private static EmbeddedPostgres primary;
    private static EmbeddedPostgres replica;
    private static Application app;
    private static long productId;

    @BeforeAll
    static void primaryAndReplica() throws Exception {
        dir = TestDatabase.tempDir("images-replica-test");
        primaryPort = Ports.free();
        replicaPort = Ports.free();
        startPrimary().close();
        try (var files = Files.walk(dir.resolve("primary"))) {
            for (Path from : files.toList()) {
                Path to = dir.resolve("replica").resolve(dir.resolve("primary").relativize(from));
                // With its permissions: PostgreSQL refuses a data directory others may read.
                if (!Set.of("postmaster.pid", "epg-lock").contains(from.getFileName().toString())) {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.createFile(dir.resolve("replica/standby.signal"));
        // In the file, not as a -c option: zonky passes options to pg_ctl unquoted.
        Files.writeString(dir.resolve("replica/postgresql.auto.conf"),
                "primary_conninfo = 'host=127.0.0.1 port=" + primaryPort + " user=postgres'\n",
                java.nio.file.StandardOpenOption.APPEND);
        replica = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("replica")).setCleanDataDirectory(false)
                .setPort(replicaPort).setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (replica != null) {
            replica.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    @Order(1)
    void without_a_primary_an_instance_refuses_to_start_when_the_replicas_lack_a_migration() {
        assertThatThrownBy(() -> Application.start(settings()))
                .hasMessageContaining("no primary answers")
                .hasMessageContaining("the replicas lack")
                .hasMessageContaining("start the instance again once a primary is up");
    }

    @Test
    @Order(2)
    void without_a_primary_an_instance_starts_serves_reads_from_the_replica_and_refuses_writes_with_503()
            throws Exception {
        primary = startPrimary();
        Database.migrate(node(primaryPort));
        try (var writer = Application.start(settings())) {
            var created = new Http("http://127.0.0.1:" + writer.port()).send("POST", "/api/products",
                    "{\"name\":\"Replicated\",\"images\":[{\"url\":\"https://cdn.example.com/r/1.jpg\"},"
                            + "{\"url\":\"https://cdn.example.com/r/2.jpg\"}]}",
                    "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            productId = Long.parseLong(group("\"productId\"\\s*:\\s*(\\d+)", created.body()));
        }
        awaitOnReplica("SELECT count(*) FROM images WHERE product_id = " + productId, "2");
        primary.close();
        primary = null;

        app = Application.start(settings());
        var http = new Http("http://127.0.0.1:" + app.port());

        var gallery = http.get("/api/products/" + productId + "/images");
        assertThat(gallery.statusCode()).as(gallery.body()).isEqualTo(200);
        assertThat(gallery.body()).contains("https://cdn.example.com/r/1.jpg", "https://cdn.example.com/r/2.jpg");
        var write = rename(http, "Written without a primary");
        assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
        assertThat(write.headers().firstValue("Retry-After")).isPresent();
        var ready = http.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"writes\"", "no primary database answers");

        primary = startPrimary();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (rename(http, "Written once the primary is back").statusCode() != 200) {
            assertThat(System.nanoTime()).as("a write succeeds within 30 s of the primary's return").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(http.get("/health/ready").body()).doesNotContain("writes");
    }

    @Test
    @Order(3)
    void a_replica_lagging_beyond_max_replica_lag_is_not_read_until_it_caught_up() throws Exception {
        var http = new Http("http://127.0.0.1:" + app.port());
        awaitOnReplica("SELECT name FROM products WHERE id = " + productId, "Written once the primary is back");
        onReplica("SELECT pg_wal_replay_pause()");

        // Without NOTIFY (the trigger does not fire for a session in replica mode): no instance
        // hears of the change, so only the lag bound can send a read to the primary.
        silentlySetAlt("lag-1");
        assertThat(http.get("/api/products/" + productId + "/images").body())
                .as("within the bound the replica is read").doesNotContain("lag-1");
        Thread.sleep(MAX_LAG.plusSeconds(1).toMillis());
        assertThat(onReplica("SELECT count(*) FROM images WHERE alt = 'lag-1'")).isEqualTo("0");
        assertThat(http.get("/api/products/" + productId + "/images").body())
                .as("beyond the bound the primary is read").contains("lag-1");

        onReplica("SELECT pg_wal_replay_resume()");
        awaitOnReplica("SELECT count(*) FROM images WHERE alt = 'lag-1'", "2");
        onReplica("SELECT pg_wal_replay_pause()");
        silentlySetAlt("lag-2");
        assertThat(http.get("/api/products/" + productId + "/images").body())
                .as("caught up, the replica is read again").contains("lag-1").doesNotContain("lag-2");
        onReplica("SELECT pg_wal_replay_resume()");
    }

    private static Settings settings() {
        Settings settings = Settings.defaults(TestDatabase.tempDir("images-replica-app"))
                .withDatabase(DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + replicaPort
                        + "/postgres?user=postgres"))
                .withDemoData(false)
                .withApiTokens(ApiTokens.of(TOKEN))
                .withMaxReplicaLag(MAX_LAG)
                .withDbTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withShutdown(new Settings.ShutdownSettings(Duration.ZERO, Duration.ofSeconds(2)))
                // Every read goes to the database, so each shows which node answered.
                .withCache(new Settings.CacheSettings(0, Duration.ofMinutes(5), Duration.ofSeconds(1)));
        return settings.withMedia(settings.media().withWorker(false));
    }

    private static EmbeddedPostgres startPrimary() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("primary")).setCleanDataDirectory(false)
                .setPort(primaryPort).setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("wal_level", "replica")
                .setServerConfig("max_wal_senders", "4")
                .start();
    }

    private static HttpResponse<String> rename(Http http, String name) {
        return http.send("PATCH", "/api/products/" + productId, "{\"name\":\"" + name + "\"}",
                "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");
    }

    private static void silentlySetAlt(String alt) throws SQLException {
        try (Connection c = DriverManager.getConnection(node(primaryPort).jdbcUrl());
             Statement statement = c.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            statement.executeUpdate("UPDATE images SET alt = '" + alt + "' WHERE product_id = " + productId);
        }
    }

    private static String onReplica(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(node(replicaPort).jdbcUrl());
             Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void awaitOnReplica(String sql, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!expected.equals(replayed(sql))) {
            assertThat(System.nanoTime()).as("the replica replays: %s = %s", sql, expected).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** What the replica answers, or null while it has not replayed the tables the query needs yet. */
    private static String replayed(String sql) throws SQLException {
        try {
            return onReplica(sql);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return null;
            }
            throw e;
        }
    }

    private static DatabaseUrl node(int port) {
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
    }

    private static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }
}
