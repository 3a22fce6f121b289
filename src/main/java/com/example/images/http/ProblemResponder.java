package com.example.images.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Renders a {@link Problem}: as {@code application/problem+json}, or as a small HTML page
 * for a browser asking for one of the human-facing pages.
 */
public final class ProblemResponder {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponder() {
    }

    public static byte[] json(Problem problem, String instance) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.putAll(problem.extra());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem must always serialise", e);
        }
    }

    public static void respond(Context ctx, Problem problem, Map<String, String> headers) {
        UnreadBody.discard(ctx.req(), headers);
        headers.forEach(ctx::header);
        ctx.status(problem.status());
        ctx.header("Cache-Control", "no-store");
        if (wantsHtmlPage(ctx)) {
            ctx.contentType("text/html; charset=utf-8").result(html(problem));
        } else {
            ctx.contentType(PROBLEM_JSON).result(json(problem, safeInstance(ctx.path())));
        }
    }

    /**
     * The same answer through Jetty's core API, for requests answered before Javalin: always
     * problem+json, since those are API or protocol errors, never a human-facing page.
     *
     * @param path the request path to echo as {@code instance}, or null
     */
    public static void respond(Response response, Problem problem, Map<String, String> headers, String path,
                               Callback callback) {
        headers.forEach(response.getHeaders()::put);
        response.setStatus(problem.status());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        // Jetty's own error answers (a malformed request line, a header too large) pass no handler.
        response.getHeaders().put(ProtocolGuard.NOSNIFF);
        response.write(true, ByteBuffer.wrap(json(problem, safeInstance(path))), callback);
    }

    private static boolean wantsHtmlPage(Context ctx) {
        String accept = ctx.header("Accept");
        return !ctx.path().startsWith("/api/") && accept != null && accept.contains("text/html");
    }

    public static String html(Problem problem) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$d %2$s</title>
                <link rel="stylesheet" href="/assets/page.css"></head>
                <body><main><h1>%1$d · %2$s</h1><p>%3$s</p><p><a href="/">Back to the catalog</a></p></main></body></html>
                """.formatted(problem.status(), Html.escape(problem.title()), Html.escape(problem.detail()));
    }

    // Paths are echoed back only when they are short and printable.
    private static String safeInstance(String path) {
        if (path == null || path.length() > 200 || path.chars().anyMatch(Character::isISOControl)) {
            return null;
        }
        return path;
    }
}
