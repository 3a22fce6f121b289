package com.example.images.http;

import com.example.images.db.SqlStates;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become problem+json responses. */
public final class ErrorMapping implements Routes {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);
    static final int RETRY_AFTER_SECONDS = 1;

    @Override
    public void addTo(RoutesConfig routes) {
        routes.exception(ProblemException.class, (e, ctx) -> ProblemResponder.respond(ctx, e.problem(), e.headers()));
        routes.exception(HttpResponseException.class, this::frameworkResponse);
        routes.exception(SQLException.class, this::databaseFailure);
        routes.exception(Exception.class, (e, ctx) -> {
            HttpException unreadable = unreadableRequest(e);
            if (unreadable != null) {
                int status = unreadable.getCode();
                ProblemResponder.respond(ctx, new Problem(status, io.javalin.http.HttpStatus.forStatus(status).getMessage(),
                        "The request body could not be read (" + printable(String.valueOf(unreadable.getReason()))
                                + "): it ended before its Content-Length, or its chunked framing is malformed."),
                        Map.of("Connection", "close"));
                return;
            }
            log.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
            ProblemResponder.respond(ctx, new Problem(500, "Internal Server Error",
                    "The server could not handle this request."), Map.of());
        });
    }

    /**
     * Whether reading the request body failed on a timeout: it arrived under
     * {@link HttpServer#MIN_REQUEST_DATA_RATE} ({@link MinimumRequestDataRate}) or stopped for the
     * idle timeout. The route that reads the body maps it ({@link #tooSlow}): Javalin answers such an
     * exception with a bare 408 of its own, past every exception handler.
     */
    public static boolean bodyTooSlow(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The answer to a body that arrived too slowly: a 408, and the connection closes. */
    public static ProblemException tooSlow() {
        return new ProblemException(new Problem(408, "Request Timeout", "The request body arrived too slowly: under "
                + HttpServer.MIN_REQUEST_DATA_RATE + " bytes a second on average, or nothing for the idle timeout."),
                Map.of("Connection", "close"));
    }

    /**
     * Jetty's own verdict on a request it could not read while a handler read the body (a body
     * cut short, malformed chunks): a 4xx, which reading it through Javalin surfaces as an
     * exception of its own.
     */
    private static HttpException unreadableRequest(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return http;
            }
        }
        return null;
    }

    private void frameworkResponse(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        var headers = new LinkedHashMap<String, String>();
        String detail = switch (status) {
            case 404 -> "There is no resource at " + printable(ctx.path()) + ".";
            case 413 -> "The request body is larger than " + JsonBody.MAX_BYTES + " bytes, the most accepted.";
            case 405 -> {
                String allowed = e.getDetails().getOrDefault("availableMethods", "")
                        .replaceAll("[\\[\\]]", "").trim();
                headers.put("Allow", allowed);
                yield "The method " + ctx.method() + " is not allowed here. Allowed: " + allowed + ".";
            }
            default -> e.getMessage();
        };
        ProblemResponder.respond(ctx, new Problem(status, io.javalin.http.HttpStatus.forStatus(status).getMessage(), detail),
                headers);
    }

    private void databaseFailure(SQLException e, Context ctx) {
        ProblemException answer = databaseFailure(e, ctx.method().name(), ctx.path());
        ProblemResponder.respond(ctx, answer.problem(), answer.headers());
    }

    /**
     * The answer to a failed database call, logged: a 503 with {@code Retry-After} when the
     * failure is worth a retry ({@link SqlStates#isUnavailable}), a 500 otherwise.
     */
    public static ProblemException databaseFailure(SQLException e, String method, String path) {
        if (SqlStates.isUnavailable(e)) {
            log.warn("Database unavailable on {} {}: {}", method, path, e.getMessage());
            return new ProblemException(new Problem(503, "Service Unavailable",
                    "The catalog database is not answering right now. Retry shortly."),
                    Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
        }
        log.error("Database error on {} {}", method, path, e);
        return new ProblemException(new Problem(500, "Internal Server Error",
                "The server could not handle this request."), Map.of());
    }

    private static String printable(String path) {
        if (path.length() > 100) {
            return path.substring(0, 100) + "…";
        }
        return path.chars().anyMatch(Character::isISOControl) ? "this path" : path;
    }
}
