package com.example.images.health;

import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /health/live} (the process answers) and {@code /health/ready} (it can serve). */
public final class HealthRoutes implements Routes {

    private final Readiness readiness;

    public HealthRoutes(Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.before(this::closeConnectionsWhileDraining);
        Routes.read(routes, "/health/live", this::live);
        Routes.read(routes, "/health/ready", this::ready);
    }

    /**
     * While draining, every response closes its connection, so a balancer's keep-alive
     * connections end cleanly after a response instead of being cut when the listener closes.
     */
    void closeConnectionsWhileDraining(Context ctx) {
        if (readiness.draining()) {
            ctx.header("Connection", "close");
        }
    }

    void live(Context ctx) {
        ctx.header("Cache-Control", "no-store").json(java.util.Map.of("status", "UP"));
    }

    void ready(Context ctx) {
        Readiness.Status status = readiness.status();
        ctx.header("Cache-Control", "no-store");
        if (status.problem() != null) {
            ctx.status(503).json(java.util.Map.of("status", "DOWN", "reason", status.problem()));
        } else if (status.writes() != null) {
            ctx.json(java.util.Map.of("status", "UP", "writes", status.writes()));
        } else {
            ctx.json(java.util.Map.of("status", "UP"));
        }
    }
}
