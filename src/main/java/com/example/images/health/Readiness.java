package com.example.images.health;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/** Whether this instance should receive traffic: the database answers and it is not draining. */
public final class Readiness {

    private final DataSource dataSource;
    private final AtomicBoolean draining = new AtomicBoolean();

    public Readiness(DataSource dataSource) {
        this.dataSource = dataSource;
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
            return connection.isValid(1) ? null : "the database did not answer";
        } catch (Exception e) {
            return "the database is unavailable";
        }
    }
}
