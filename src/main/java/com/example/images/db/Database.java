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

/** Builds the connection pools and brings the schema up to date. */
public final class Database {

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
         * Whether the readers' pool holds a connection. After an outage Hikari reconnects each
         * pool on its own back-off, so the request pool may answer seconds before this one does.
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
                onPrimary = opened(opened, new HikariDataSource(config));
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
        return new HikariDataSource(config(url, size, timeout, name, registry));
    }

    private static HikariConfig config(DatabaseUrl url, int size, Duration timeout, String name, MeterRegistry registry) {
        var config = new HikariConfig();
        if (registry != null) {
            config.setMetricRegistry(registry);
        }
        config.setPoolName(name);
        config.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(timeout.toMillis(), 1000)));
        // Starting must not wait for the database: readiness reports it instead.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", Math.max(1, timeout.toSeconds()));
        config.addDataSourceProperty("socketTimeout", Math.max(5, timeout.toSeconds() * 3));
        config.addDataSourceProperty("tcpKeepAlive", true);
        config.addDataSourceProperty("ApplicationName", name);
        // Generic plans: every statement here is a key lookup, and the batched gallery read's
        // "id = ANY (?)" otherwise got a custom plan, planned anew, for every array size PostgreSQL
        // had not seen cheaper as generic, which cost PostgreSQL much more CPU per gallery
        // (docs/bench-log/).
        config.setConnectionInitSql("SET statement_timeout = " + Math.max(1, timeout.toMillis())
                + "; SET plan_cache_mode = force_generic_plan");
        return config;
    }

    /**
     * Applies the versioned SQL migrations in {@code classpath:db/migration}, on a
     * connection of its own (to the primary) so that the pool's statement timeout does not apply.
     */
    public static void migrate(DatabaseUrl url) {
        DatabaseUrl primary = url.primary();
        Flyway.configure()
                .dataSource(primary.jdbcUrl(), primary.user().orElse(null), primary.password().orElse(null))
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
