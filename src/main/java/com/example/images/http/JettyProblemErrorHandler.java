package com.example.images.http;

import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Errors that Jetty answers itself, before a request reaches a route (a malformed
 * percent-encoding, an ambiguous path, an oversized header, an unknown HTTP version), also get
 * problem+json, and never a stack trace. They are counted in the request metrics under the
 * route {@value #REFUSED}, with the method label bounded as for every other request.
 */
public final class JettyProblemErrorHandler extends ErrorHandler {

    /** The route label of requests refused before routing. */
    public static final String REFUSED = "refused";

    private static final int MAX_REASON = 200;

    private final RequestMetrics metrics;

    public JettyProblemErrorHandler(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    /** Every method: Jetty's own choice (GET, POST and HEAD) left a PATCH or a DELETE with an empty body. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemResponder.PROBLEM_JSON);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        fields.put(ProtocolGuard.NOSNIFF);
        return ByteBuffer.wrap(ProblemResponder.json(problem(status, reason, null), null));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
                                    Throwable cause, Callback callback) {
        // Counted before the answer goes out, so that a client reading /metrics next sees it.
        metrics.record(request.getMethod() == null ? "" : request.getMethod(), REFUSED, code,
                NanoTime.since(request.getBeginNanoTime()));
        ProblemResponder.respond(response, problem(code, message, cause), Map.of(), null, callback);
    }

    private static Problem problem(int status, String reason, Throwable cause) {
        String title = HttpStatus.getMessage(status);
        String detail;
        if (causedBy(cause, ArithmeticException.class)) {
            // Jetty's parser adds up the digits of a Content-Length with Math.addExact.
            detail = "The Content-Length header is too large a number to read; a body here is at most "
                    + JsonBody.MAX_BYTES + " bytes.";
        } else if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            detail = "This service speaks HTTP/1.0 and HTTP/1.1 only.";
        } else if (status >= 500) {
            detail = "The server could not handle this request.";
        } else if (reason == null || reason.isBlank() || reason.equalsIgnoreCase(title)) {
            detail = status == 400
                    ? "The request target is malformed: a bad percent-encoding, or an encoded control or separator character."
                    : title;
        } else {
            detail = "The request was rejected: " + AccessLog.cut(reason, MAX_REASON) + ".";
        }
        return new Problem(status, title, detail);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
