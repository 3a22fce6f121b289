package com.example.images.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * CORS for the public read API, so that the gallery widget works on pages of other origins:
 * {@code Access-Control-Allow-Origin: *} on GET and HEAD under the given path prefixes, and a
 * preflight answer that allows only those methods. Writes never get CORS: a browser on another
 * origin cannot send them.
 */
public final class Cors implements Routes {

    static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    static final String ALLOWED_METHODS = "GET, HEAD";
    static final String ALLOWED_HEADERS = "Accept, If-None-Match";
    static final String MAX_AGE_SECONDS = "86400";
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD");

    private final List<String> publicPrefixes;

    /** @param publicPrefixes path prefixes whose reads are public, such as {@code /api/} */
    public Cors(List<String> publicPrefixes) {
        this.publicPrefixes = List.copyOf(publicPrefixes);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        // A before-handler rather than OPTIONS routes: a wildcard route would turn 404s under
        // these prefixes into 405s.
        routes.before(this::handle);
    }

    void handle(Context ctx) {
        if (!isPublic(ctx.path())) {
            return;
        }
        String method = ctx.method().name();
        if (READ_METHODS.contains(method)) {
            // Set before the handler runs, so error answers (a 404 for an unknown product) carry it too.
            ctx.header(ALLOW_ORIGIN, "*");
        } else if (method.equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header(ALLOW_ORIGIN, "*");
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
            ctx.status(204);
            ctx.skipRemainingHandlers();
        }
    }

    /** The CORS headers of a GET or HEAD of {@code path}, for answers given outside the routes. */
    public void readHeaders(String path, BiConsumer<String, String> header) {
        if (isPublic(path)) {
            header.accept(ALLOW_ORIGIN, "*");
        }
    }

    private boolean isPublic(String path) {
        for (String prefix : publicPrefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
