package com.example.images.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The outermost handler: a request's method is the one on its request line, and every answer
 * says {@code X-Content-Type-Options: nosniff}. Javalin takes its method from an
 * {@code X-HTTP-Method-Override} header when there is one, so a GET carrying
 * {@code X-HTTP-Method-Override: DELETE} deleted a product while nginx (its write rate limit,
 * its retries of idempotent requests), the access log and every proxy rule saw a GET. That
 * header never reaches the routes.
 */
public final class ProtocolGuard extends Handler.Wrapper {

    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    /** On every response, answers Jetty writes itself included (see {@link ProblemResponder}). */
    public static final PreEncodedHttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");

    /** As the handler it wraps: the gallery fast path answers on the thread that read the request. */
    @Override
    public InvocationType getInvocationType() {
        Handler next = getHandler();
        return next == null ? InvocationType.NON_BLOCKING : next.getInvocationType();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put(NOSNIFF);
        if (request.getHeaders().contains(METHOD_OVERRIDE)) {
            HttpFields without = HttpFields.build(request.getHeaders()).remove(METHOD_OVERRIDE).asImmutable();
            request = new Request.Wrapper(request) {
                @Override
                public HttpFields getHeaders() {
                    return without;
                }
            };
        }
        return super.handle(request, response, callback);
    }
}
