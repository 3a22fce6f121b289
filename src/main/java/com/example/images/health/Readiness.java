package com.example.images.health;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Whether this instance should receive traffic: the database answers and it is not draining.
 * With replicas, an instance whose readers reach a replica stays ready while no primary answers
 * (reads are served; writes get 503s with {@code Retry-After}), and says so in {@link Status#writes()}.
 */
public final class Readiness {

    private final DataSource dataSource;
    private final BooleanSupplier readersConnected;
    private final boolean replicated;
    private final AtomicBoolean draining = new AtomicBoolean();

    /** Not ready when {@code problem} is set; {@code writes} says why writes are refused while reads are served. */
    public record Status(String problem, String writes) {
    }

    public Readiness(DataSource dataSource) {
        this(dataSource, () -> true, false);
    }

    /**
     * @param dataSource       the request pool, which the check borrows from
     * @param readersConnected whether the gallery readers' own pool holds a connection; asked
     *                         without borrowing, since its few connections may all be busy reading
     * @param replicated       whether the readers' pool prefers replicas, so reads go on without a primary
     */
    public Readiness(DataSource dataSource, BooleanSupplier readersConnected, boolean replicated) {
        this.dataSource = dataSource;
        this.readersConnected = readersConnected;
        this.replicated = replicated;
    }

    /** From now on readiness is red, so load balancers stop sending new requests. */
    public void startDraining() {
        draining.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    /** Whether the instance is ready, and whether it takes writes. */
    public Status status() {
        if (draining.get()) {
            return new Status("draining: the service is shutting down", null);
        }
        String primary = primaryProblem();
        if (primary != null) {
            return replicated && readersConnected.getAsBoolean()
                    ? new Status(null, "unavailable: " + primary + "; reads are served by the replicas")
                    : new Status(primary, null);
        }
        // After an outage each pool reconnects on its own: the readers' may come back after the request pool's.
        return new Status(readersConnected.getAsBoolean() ? null : "the gallery readers have no database connection yet",
                null);
    }

    private String primaryProblem() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1) ? null : "the database did not answer";
        } catch (Exception e) {
            return replicated ? "no primary database answers" : "the database is unavailable";
        }
    }
}
