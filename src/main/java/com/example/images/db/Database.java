package com.example.images.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the connection pools and brings the schema up to date. */
public final class Database {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /**
     * How often a pool tries to connect again while the database cannot be reached. Each attempt
     * with replicas connects to every node that answers to learn which is the primary, so it is
     * not much shorter.
     */
    static final Duration RECONNECT_EVERY = Duration.ofMillis(250);

    /**
     * The service's pools: one for request work (writes, pages, readiness), and one the gallery
     * readers have to themselves, so that writes queued on one product's row lock can never hold
     * the connections cache misses for other products need. With replicas the readers have a
     * third, on the primary, for a batch their replica has not caught up with; it holds no
     * connection until one is needed and gives it back when idle ({@code readersOnPrimary} is
     * {@code readers} itself without replicas).
     */
    public record Pools(HikariDataSource requests, HikariDataSource readers, HikariDataSource readersOnPrimary)
            implements AutoCloseable {

        /**
         * Whether the readers' pool holds a connection. After an outage each pool reconnects on its
         * own ({@link #RECONNECT_EVERY}), so the request pool may answer before this one does.
         * Borrows one (waiting up to the connection timeout) only when the pool holds none, so
         * that the check never waits behind the readers' queries.
         */
        public boolean readersConnected() {
            var pool = readers.getHikariPoolMXBean();
            if (pool != null && pool.getTotalConnections() > 0) {
                return true;
            }
            try (Connection connection = readers.getConnection()) {
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            readersOnPrimary.close();
            readers.close();
            requests.close();
        }
    }

    private Database() {
    }

    /**
     * {@code total} connections in two pools: {@code readers} of them in the gallery readers' own
     * pool (named {@code name-readers}), the rest in the request pool ({@code name}). With a
     * multi-host URL the request pool connects only to the primary and the readers' pool prefers
     * the replicas ({@link DatabaseUrl#primary()}, {@link DatabaseUrl#replicas()}). Neither needs a
     * restart after a failover: Hikari evicts a connection that broke, and each new one asks the
     * nodes again which is which.
     */
    public static Pools pools(DatabaseUrl url, int total, int readers, Duration timeout, String name,
                              MeterRegistry registry) {
        if (readers < 1 || readers >= total) {
            throw new IllegalArgumentException("connections reserved for the gallery readers must be 1 to " + (total - 1)
                    + ", got " + readers);
        }
        var opened = new ArrayList<HikariDataSource>();
        try {
            HikariDataSource requests = opened(opened, pool(url.primary(), total - readers, timeout, name, registry));
            HikariDataSource readersPool = opened(opened, pool(url.replicas(), readers, timeout, name + "-readers", registry));
            HikariDataSource onPrimary = readersPool;
            if (url.replicated()) {
                HikariConfig config = config(url.primary(), readers, timeout, name + "-readers-primary", registry);
                config.setMinimumIdle(0);
                config.setIdleTimeout(10_000);
                onPrimary = opened(opened, open(config));
            }
            return new Pools(requests, readersPool, onPrimary);
        } catch (RuntimeException | Error e) {
            opened.forEach(HikariDataSource::close);
            throw e;
        }
    }

    private static HikariDataSource opened(List<HikariDataSource> opened, HikariDataSource pool) {
        opened.add(pool);
        return pool;
    }

    /**
     * A HikariCP pool. {@code timeout} bounds how long a request waits for a connection
     * and for any statement, so nothing hangs when PostgreSQL is gone.
     */
    public static HikariDataSource pool(DatabaseUrl url, int size, Duration timeout, String name) {
        return pool(url, size, timeout, name, null);
    }

    /** As above, reporting pool usage and waits to {@code registry} when it is given. */
    public static HikariDataSource pool(DatabaseUrl url, int size, Duration timeout, String name, MeterRegistry registry) {
        return open(config(url, size, timeout, name, registry));
    }

    /** A pool for {@link #config}'s {@code config}, whose data source stops retrying once the pool is closed. */
    private static HikariDataSource open(HikariConfig config) {
        var pool = new HikariDataSource(config);
        ((ReconnectingDataSource) config.getDataSource()).stopWhen(pool::isClosed);
        return pool;
    }

    private static HikariConfig config(DatabaseUrl url, int size, Duration timeout, String name, MeterRegistry registry) {
        var config = new HikariConfig();
        if (registry != null) {
            config.setMetricRegistry(registry);
        }
        config.setPoolName(name);
        config.setDataSource(new ReconnectingDataSource(driver(url, timeout, name), name, RECONNECT_EVERY));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(timeout.toMillis(), 1000)));
        // Starting must not wait for the database: readiness reports it instead.
        config.setInitializationFailTimeout(-1);
        // Generic plans: every statement here is a key lookup, and the batched gallery read's
        // "id = ANY (?)" otherwise got a custom plan, planned anew, for every array size PostgreSQL
        // had not seen cheaper as generic, which cost PostgreSQL much more CPU per gallery
        // (docs/bench-log/).
        config.setConnectionInitSql("SET statement_timeout = " + Math.max(1, timeout.toMillis())
                + "; SET plan_cache_mode = force_generic_plan");
        return config;
    }

    /** pgjdbc's own data source for {@code url}, with connect and socket timeouts from {@code timeout}. */
    private static PGSimpleDataSource driver(DatabaseUrl url, Duration timeout, String name) {
        var driver = new PGSimpleDataSource();
        driver.setURL(url.jdbcUrl());
        url.user().ifPresent(driver::setUser);
        url.password().ifPresent(driver::setPassword);
        driver.setConnectTimeout((int) Math.max(1, timeout.toSeconds()));
        driver.setSocketTimeout((int) Math.max(5, timeout.toSeconds() * 3));
        driver.setTcpKeepAlive(true);
        driver.setApplicationName(name);
        return driver;
    }

    /**
     * Applies the versioned SQL migrations in {@code classpath:db/migration}, on a
     * connection of its own (to the primary) so that the pool's statement timeout does not apply.
     */
    public static void migrate(DatabaseUrl url) {
        flyway(url.primary()).migrate();
    }

    /**
     * {@link #migrate} on the primary; with replicas and no primary answering (the primary down, a
     * failover under way), a check instead that a replica's schema is current, so the instance can
     * start and serve reads while writes get 503s until a primary answers. A replica holds every
     * migration the primary had when it replayed them, so a current replica means a current
     * primary, and nothing is left to run when one appears. A replica that lacks a migration
     * refuses the start: only a primary can apply it.
     *
     * @return whether the primary answered (and the schema was migrated there)
     */
    public static boolean migrateOrCheckReplica(DatabaseUrl url) {
        try {
            migrate(url);
            return true;
        } catch (FlywayException e) {
            SQLException sql = connectionFailure(e);
            if (!url.replicated() || sql == null) {
                throw e;
            }
            MigrationInfo[] pending = flyway(url.replicas()).info().pending();
            if (pending.length > 0) {
                throw new IllegalStateException("no primary answers (" + sql.getMessage() + ") and the replicas lack "
                        + pending.length + " migration(s), from version " + pending[0].getVersion()
                        + "; start the instance again once a primary is up", e);
            }
            log.warn("No primary answers ({}); the replicas' schema is current: serving reads from them, writes answer "
                    + "503 until a primary is up", sql.getMessage());
            return false;
        }
    }

    private static SQLException connectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SqlStates.isConnectionLost(sql)) {
                return sql;
            }
        }
        return null;
    }

    private static Flyway flyway(DatabaseUrl url) {
        return Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null))
                .locations("classpath:db/migration")
                .load();
    }
}
