package com.example.images.gallery;

import com.example.images.http.Cors;
import com.example.images.http.ErrorMapping;
import com.example.images.http.Gzip;
import com.example.images.http.PathIds;
import com.example.images.http.ProblemException;
import com.example.images.http.ProblemResponder;
import com.example.images.http.RequestMetrics;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * The hot route, answered in Jetty's core handler chain in front of the servlet layer: a
 * gallery GET for a plainly written id that exists. A JFR profile showed the servlet request
 * wrappers, Javalin's routing and its context to be most of a cache hit's cost. Everything
 * else (other paths and methods, ids that are not plain digits, unknown products, a draining
 * instance) goes on to the Javalin routes, which answer as they always did; a database failure
 * gets the same problem answer as there. A cache hit is answered on the thread that read the
 * request; the rest runs on a virtual thread, as Jetty would have run it (wrk Zipf on the 10M
 * catalog, three alternated pairs: 43.0-51.2k → 53.0-54.9k req/s, 18-24 → 16-17 µs of CPU per request).
 */
public final class GalleryFastPath extends Handler.Wrapper {

    private static final String PREFIX = "/api/products/";
    private static final String IMAGES = "/images";

    private final GalleryService galleries;
    private final Cors cors;
    private final BooleanSupplier draining;
    private final RequestMetrics metrics;

    public GalleryFastPath(GalleryService galleries, Cors cors, BooleanSupplier draining, RequestMetrics metrics) {
        this.galleries = galleries;
        this.cors = cors;
        this.draining = draining;
        this.metrics = metrics;
    }

    /**
     * Cache hits never block, so Jetty may run them on the selector thread that read the request,
     * without handing it to another thread; {@link #handle} passes everything else to a virtual
     * thread itself.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        long id = HttpMethod.GET.is(request.getMethod()) ? idIn(path) : -1;
        if (id >= 0 && !draining.getAsBoolean()) {
            boolean gzip = Gzip.accepted(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
            Optional<GalleryService.Result> hit = galleries.cached(id, gzip);
            if (hit.isPresent()) {
                answer(request, response, callback, path, hit.get(), gzip);
                return true;
            }
        }
        Thread.startVirtualThread(() -> handleBlocking(request, response, callback, path, id));
        return true;
    }

    /** What Jetty would have done on a virtual thread of its own: this handler's reads, then the routes. */
    private void handleBlocking(Request request, Response response, Callback callback, String path, long id) {
        try {
            if (!handleOrPass(request, response, callback, path, id)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable failure) {
            callback.failed(failure);
        }
    }

    private boolean handleOrPass(Request request, Response response, Callback callback, String path, long id)
            throws Exception {
        if (id < 0 || draining.getAsBoolean()) {
            return super.handle(request, response, callback);
        }
        HttpFields headers = request.getHeaders();
        boolean gzip = Gzip.accepted(headers.get(HttpHeader.ACCEPT_ENCODING));
        Optional<GalleryService.Result> found;
        try {
            found = galleries.find(id, gzip);
        } catch (SQLException e) {
            ProblemException answer = ErrorMapping.databaseFailure(e, "GET", path);
            cors.readHeaders(path, response.getHeaders()::put);
            ProblemResponder.respond(response, answer.problem(), answer.headers(), path, callback);
            record(request, path, answer.problem().status());
            return true;
        }
        if (found.isEmpty()) {
            return super.handle(request, response, callback); // the route's 404 problem
        }
        answer(request, response, callback, path, found.get(), gzip);
        return true;
    }

    private void answer(Request request, Response response, Callback callback, String path,
                        GalleryService.Result found, boolean gzip) {
        var answer = GalleryResponse.of(found, request.getHeaders().get(HttpHeader.IF_NONE_MATCH), gzip);
        HttpFields.Mutable out = response.getHeaders();
        cors.readHeaders(path, out::put);
        answer.headers(out::put);
        response.setStatus(answer.status());
        if (answer.body() == null) {
            callback.succeeded();
        } else {
            out.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        }
        record(request, path, answer.status());
    }

    private void record(Request request, String path, int status) {
        metrics.record("GET", path.endsWith(IMAGES) ? GalleryRoutes.GALLERY : GalleryRoutes.PRODUCT, status,
                NanoTime.since(request.getBeginNanoTime()));
    }

    /**
     * The id in {@code /api/products/{id}} or {@code /api/products/{id}/images} when
     * {@link PathIds} accepts it; -1 for anything else, which the routes then judge (and answer
     * with a precise 400 where it is malformed).
     */
    static long idIn(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return -1;
        }
        int end = path.endsWith(IMAGES) ? path.length() - IMAGES.length() : path.length();
        return PathIds.valueOf(path, PREFIX.length(), end);
    }
}
