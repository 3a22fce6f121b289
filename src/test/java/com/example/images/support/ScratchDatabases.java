package com.example.images.support;

import com.example.images.db.DatabaseUrl;
import com.example.images.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A second embedded PostgreSQL for tests that replace whole tables (seeding), so that the
 * shared test database is never truncated. Each call to {@link #create()} gives a new, empty
 * database on it; nothing is migrated until the code under test does it.
 */
public final class ScratchDatabases {

    private static EmbeddedDatabase server;
    private static final AtomicInteger counter = new AtomicInteger();

    private ScratchDatabases() {
    }

    private static synchronized EmbeddedDatabase server() {
        if (server == null) {
            server = EmbeddedDatabase.start(TestDatabase.tempDir("images-scratch-db"), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    /** A new empty database, as the postgres superuser. */
    public static DatabaseUrl create() {
        EmbeddedDatabase pg = server();
        String name = "scratch_" + counter.incrementAndGet();
        try (Connection c = DriverManager.getConnection(pg.url().jdbcUrl(), "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + name, Optional.of("postgres"), Optional.empty());
    }

    /** The same database as {@code postgres://postgres@host:port/name}, as a user would pass it. */
    public static String cliUrl(DatabaseUrl url) {
        return url.jdbcUrl().replace("jdbc:postgresql://", "postgres://postgres@");
    }

    public static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null));
    }
}
