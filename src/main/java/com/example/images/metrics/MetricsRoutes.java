package com.example.images.metrics;

import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code GET /metrics} in the Prometheus text format. */
public final class MetricsRoutes implements Routes {

    private final Metrics metrics;

    public MetricsRoutes(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        Routes.read(routes, "/metrics", this::scrape);
    }

    void scrape(Context ctx) {
        ctx.header("Cache-Control", "no-store")
                .contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape());
    }
}
