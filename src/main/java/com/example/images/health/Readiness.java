package com.example.images.health;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** Whether this instance should receive traffic: the database answers and it is not draining. */
public final class Readiness {

    private final DataSource dataSource;
    private final BooleanSupplier readersConnected;
    private final AtomicBoolean draining = new AtomicBoolean();

    public Readiness(DataSource dataSource) {
        this(dataSource, () -> true);
    }

    /**
     * @param dataSource       the request pool, which the check borrows from
     * @param readersConnected whether the gallery readers' own pool holds a connection; asked
     *                         without borrowing, since its few connections may all be busy reading
     */
    public Readiness(DataSource dataSource, BooleanSupplier readersConnected) {
        this.dataSource = dataSource;
        this.readersConnected = readersConnected;
    }

    /** From now on readiness is red, so load balancers stop sending new requests. */
    public void startDraining() {
        draining.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    /** Why the instance is not ready, or null when it is. */
    public String problem() {
        if (draining.get()) {
            return "draining: the service is shutting down";
        }
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(1)) {
                return "the database did not answer";
            }
            // After an outage each pool reconnects on its own schedule: the readers' may lag by seconds.
            return readersConnected.getAsBoolean() ? null : "the gallery readers have no database connection yet";
        } catch (Exception e) {
            return "the database is unavailable";
        }
    }
}
