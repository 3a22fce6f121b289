package com.example.images.product;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Writes piling up behind one product's row lock hold database connections until the lock is
 * released. Gallery reads of other products must not wait for them: the readers' connections
 * are reserved.
 */
class WriteContentionTest {

    private static final String TOKEN = "contention-token-7c1d";
    private static final int POOL = 4;
    private static final int READERS = 1;
    private static final int WRITES = 6;

    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void writes_queued_on_one_products_lock_leave_gallery_reads_of_other_products_their_connections() throws Exception {
        var locked = fixtures.product("Hot Product Under Edit", 2);
        var other = fixtures.product("Quiet Product Read Meanwhile", 3);
        Settings settings = new Settings("127.0.0.1", 0, java.util.Optional.of(TestDatabase.shared().url()),
                TestDatabase.tempDir("images-contention"), false, com.example.images.catalog.ImageUrls.local(), POOL,
                READERS, Duration.ofSeconds(15), Duration.ofSeconds(10), Settings.CacheSettings.defaults(),
                ApiTokens.of(TOKEN), new Settings.ShutdownSettings(Duration.ZERO, Duration.ofSeconds(5)),
                com.example.images.http.HttpServer.REQUEST_HEAD_TIMEOUT, false,
                Settings.MediaSettings.defaults(), Settings.DEFAULT_MAX_REPLICA_LAG);
        try (Application app = Application.start(settings)) {
            var http = new Http("http://127.0.0.1:" + app.port());
            var api = new Api(http, TOKEN);
            var writes = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            try (var clients = Executors.newVirtualThreadPerTaskExecutor(); Connection lock = lockRow(locked.id())) {
                int lockHolder = backendPid(lock);
                for (int i = 0; i < WRITES; i++) {
                    String body = "{\"name\":\"Hot Product, edit " + i + "\"}";
                    writes.add(CompletableFuture.supplyAsync(
                            () -> api.write("PATCH", "/api/products/" + locked.id(), body), clients));
                }
                awaitEveryWriteStuck(http, lockHolder, writes);

                HttpResponse<String> read = http.get("/api/products/" + other.id() + "/images");

                assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                assertThat(read.body()).contains("Quiet Product Read Meanwhile");
                assertThat(writes).as("the writes still wait for the lock").noneMatch(CompletableFuture::isDone);
                lock.rollback();
            }
            List<Integer> statuses = new ArrayList<>();
            for (var write : writes) {
                statuses.add(write.get(20, TimeUnit.SECONDS).statusCode());
            }
            assertThat(statuses).containsOnly(200);
        }
    }

    /** Holds the product's row lock, as a write does, until the returned transaction ends. */
    private static Connection lockRow(long productId) throws Exception {
        Connection c = TestDatabase.shared().dataSource().getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM products WHERE id = ? FOR UPDATE")) {
            st.setLong(1, productId);
            st.executeQuery().close();
        }
        return c;
    }

    /** Until every write either waits on the row lock in PostgreSQL or waits in the service for a connection. */
    private static void awaitEveryWriteStuck(Http http, int lockHolder,
                                             List<CompletableFuture<HttpResponse<String>>> writes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            int onLock = blockedBy(lockHolder);
            int forConnection = gateQueued(http);
            if (onLock + forConnection == WRITES && onLock >= POOL - READERS) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("writes never all got stuck: " + onLock + " on the lock, "
                        + forConnection + " waiting for a connection, answered: "
                        + writes.stream().filter(CompletableFuture::isDone).map(w -> w.join().statusCode() + " " + w.join().body()).toList());
            }
            Thread.sleep(20);
        }
    }

    private static int backendPid(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Sessions waiting, directly or through other waiters, for the lock holder's transaction. */
    private static int blockedBy(int lockHolder) throws Exception {
        try (Connection c = TestDatabase.shared().dataSource().getConnection();
             // Later waiters for a row lock wait for the first waiter, not for the holder.
             PreparedStatement st = c.prepareStatement("""
                     WITH RECURSIVE blocked (pid) AS (
                         SELECT pid FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))
                         UNION
                         SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY (pg_blocking_pids(a.pid)))
                     SELECT count(*) FROM blocked""")) {
            st.setInt(1, lockHolder);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int gateQueued(Http http) {
        return http.get("/metrics").body().lines()
                .filter(line -> line.startsWith("db_gate_queued "))
                .mapToInt(line -> (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no db_gate_queued in /metrics"));
    }
}
