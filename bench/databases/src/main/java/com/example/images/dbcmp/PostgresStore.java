package com.example.images.dbcmp;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** What both PostgreSQL models share: one server of their own, its settings, size and memory. */
abstract class PostgresStore implements Store {

    private final String sharedBuffers;
    private Postgres server;

    PostgresStore(String sharedBuffers) {
        this.sharedBuffers = sharedBuffers;
    }

    /** Tables whose size is the store's, with their indexes and TOAST. */
    abstract List<String> tables();

    @Override
    public void start(Path dir) throws Exception {
        server = Postgres.start(dir, sharedBuffers);
    }

    Connection connect() throws SQLException {
        return server.connect();
    }

    @Override
    public long diskBytes() throws Exception {
        try (var c = connect(); var s = c.createStatement()) {
            long total = 0;
            for (String table : tables()) {
                try (var rs = s.executeQuery("SELECT pg_total_relation_size('" + table + "')")) {
                    rs.next();
                    total += rs.getLong(1);
                }
            }
            return total;
        }
    }

    @Override
    public void prewarm() throws Exception {
        try (var c = connect(); var s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
            for (String table : tables()) {
                s.execute("SELECT pg_prewarm(c.oid) FROM pg_class c WHERE c.oid = '" + table + "'::regclass"
                        + " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = '" + table + "'::regclass)"
                        + " OR c.oid = (SELECT reltoastrelid FROM pg_class WHERE oid = '" + table + "'::regclass)");
            }
        }
    }

    @Override
    public List<Long> serverPids() throws Exception {
        return server.pids();
    }

    @Override
    public String configuration() {
        var settings = new java.util.TreeMap<>(Postgres.settings(sharedBuffers));
        settings.remove("shared_preload_libraries");
        return "PostgreSQL 17 (zonky embedded binaries), " + settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("")
                + "; tables and indexes read into shared buffers with pg_prewarm before the reads;"
                + " one connection per client, server-side prepared statements (pgjdbc prepareThreshold=1)";
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Runs {@code work} in one transaction: commits, or rolls back on any failure. */
    static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    interface SqlWork<T> {
        T run() throws SQLException;
    }
}
