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

/**
 * Errors that Jetty answers itself, before a request reaches a route (a malformed
 * percent-encoding, an ambiguous path, an oversized header), also get problem+json,
 * and never a stack trace.
 */
public final class JettyProblemErrorHandler extends ErrorHandler {

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
        return ByteBuffer.wrap(ProblemResponder.json(problem(status, reason), null));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
                                    Throwable cause, Callback callback) {
        ProblemResponder.respond(response, problem(code, message), Map.of(), null, callback);
    }

    private static Problem problem(int status, String reason) {
        String title = HttpStatus.getMessage(status);
        String detail;
        if (status >= 500) {
            detail = "The server could not handle this request.";
        } else if (reason == null || reason.isBlank() || reason.equalsIgnoreCase(title)) {
            detail = status == 400
                    ? "The request target is malformed: a bad percent-encoding, or an encoded control or separator character."
                    : title;
        } else {
            detail = "The request was rejected: " + reason + ".";
        }
        return new Problem(status, title, detail);
    }
}
