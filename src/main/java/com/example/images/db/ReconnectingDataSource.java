package com.example.images.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data source a Hikari pool opens its connections with. While the database cannot be reached
 * it tries again every {@code retry}, instead of failing back to Hikari: Hikari sleeps after each
 * failed attempt, doubling the sleep up to 5 s, so after a failover or any outage of ten seconds
 * its pool stayed empty for up to 5 s after the database answered again, and every write got a
 * 503 meanwhile (FailoverIT refused writes 6 s after the new primary had its standby). Only
 * Hikari's own thread that adds connections waits here; borrowers still wait at most the pool's
 * connection timeout. Any other failure, such as a wrong password, goes to Hikari at once, and so
 * does every failure once {@link #stopWhen} says the pool has closed.
 */
final class ReconnectingDataSource extends ForwardingDataSource {

    private static final Logger log = LoggerFactory.getLogger(ReconnectingDataSource.class);

    private final String name;
    private final Duration retry;
    private volatile BooleanSupplier stopped = () -> false;

    /**
     * @param name  what the log calls the pool
     * @param retry how long to wait between attempts while the database cannot be reached
     */
    ReconnectingDataSource(DataSource target, String name, Duration retry) {
        super(target);
        this.name = name;
        this.retry = retry;
    }

    /** From now on, failures are no longer retried once {@code stopped} is true (the pool closed). */
    void stopWhen(BooleanSupplier stopped) {
        this.stopped = stopped;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long outageStart = 0;
        while (true) {
            try {
                Connection connection = target.getConnection();
                if (outageStart != 0) {
                    log.info("{}: the database answers again, after {} ms", name,
                            Duration.ofNanos(System.nanoTime() - outageStart).toMillis());
                }
                return connection;
            } catch (SQLException e) {
                if (!unreachable(e) || stopped.getAsBoolean()) {
                    throw e;
                }
                if (outageStart == 0) {
                    outageStart = System.nanoTime();
                    log.warn("{}: cannot reach the database ({}); trying again every {} ms", name, e.getMessage(),
                            retry.toMillis());
                }
                try {
                    Thread.sleep(retry);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Refused, lost, shutting down or starting up: worth another attempt soon. */
    static boolean unreachable(SQLException e) {
        return SqlStates.isConnectionLost(e) || SqlStates.CANNOT_CONNECT_NOW.equals(e.getSQLState());
    }
}
