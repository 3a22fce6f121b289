package com.example.images.http;

import io.javalin.config.RoutesConfig;

/** A feature's HTTP routes, registered on the server by the composition root. */
@FunctionalInterface
public interface Routes {
    void addTo(RoutesConfig routes);
}
