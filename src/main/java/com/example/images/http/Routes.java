package com.example.images.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;

/** A feature's HTTP routes, registered on the server by the composition root. */
@FunctionalInterface
public interface Routes {
    void addTo(RoutesConfig routes);

    /**
     * A GET route whose handler answers HEAD too, with the same status and headers (Jetty sends
     * no body). Left to itself Javalin answers HEAD on any path that has a GET route with an
     * empty 200, whatever the GET would say: a 404, a 400, or a 304 with its ETag.
     */
    static void read(RoutesConfig routes, String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, handler);
    }
}
