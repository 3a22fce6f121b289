package com.example.images.dbcmp;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A throwaway PostgreSQL (zonky's 17.x binaries, the service's embedded default) on 127.0.0.1,
 * configured for a benchmark: buffers sized by the caller, the rest as {@code bench/lib/pg.sh}.
 */
final class Postgres implements AutoCloseable {

    /** The settings both PostgreSQL stores run with (shared_buffers comes from the options). */
    static Map<String, String> settings(String sharedBuffers) {
        return Map.ofEntries(
                Map.entry("shared_buffers", sharedBuffers),
                Map.entry("effective_cache_size", "12GB"),
                Map.entry("maintenance_work_mem", "1GB"),
                Map.entry("work_mem", "16MB"),
                Map.entry("max_connections", "200"),
                Map.entry("max_wal_size", "16GB"),
                Map.entry("checkpoint_timeout", "30min"),
                Map.entry("wal_level", "minimal"),
                Map.entry("max_wal_senders", "0"),
                // Durable files, and commits acknowledged before their WAL is flushed: the same
                // promise as Cassandra's default periodic commit log (a crash may lose the last
                // moments of acknowledged writes, never corrupt).
                Map.entry("fsync", "on"),
                Map.entry("synchronous_commit", "off"),
                Map.entry("listen_addresses", "127.0.0.1"),
                Map.entry("shared_preload_libraries", ""));
    }

    private final EmbeddedPostgres server;
    private final Path dataDir;

    private Postgres(EmbeddedPostgres server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    static Postgres start(Path dir, String sharedBuffers) throws IOException {
        Path data = dir.resolve("pgdata");
        Files.createDirectories(dir);
        var builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(120));
        settings(sharedBuffers).forEach(builder::setServerConfig);
        return new Postgres(builder.start(), data);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"));
    }

    /** The postmaster and its children (backends, background processes). */
    List<Long> pids() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        return Processes.withChildren(postmaster);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            System.err.println("warning: stopping PostgreSQL: " + e.getMessage());
        }
    }
}
