package com.example.images.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, including those Jetty rejects before routing: method, path,
 * status and duration. Only the path is logged, never headers or query strings, so
 * credentials cannot leak into the log; overlong paths and methods are cut.
 */
public final class AccessLog implements RequestLog {

    private static final Logger log = LoggerFactory.getLogger("access");
    private static final int MAX_PATH = 200;
    // Jetty accepts any token as a method, of any length.
    private static final int MAX_METHOD = 20;

    @Override
    public void log(Request request, Response response) {
        if (!log.isInfoEnabled()) {
            return;
        }
        String path = request.getHttpURI() == null ? "-" : request.getHttpURI().getPath();
        if (path == null) {
            path = "-";
        } else {
            path = cut(path, MAX_PATH);
        }
        double ms = NanoTime.since(request.getBeginNanoTime()) / 1_000_000.0;
        log.info("{} {} {} {}ms", cut(request.getMethod(), MAX_METHOD), path.replaceAll("\\p{Cntrl}", "?"), response.getStatus(),
                String.format("%.1f", ms));
    }

    /** The value, or its first {@code max} characters and how long it was. */
    static String cut(String value, int max) {
        return value.length() > max ? value.substring(0, max) + "…(" + value.length() + " chars)" : value;
    }
}
