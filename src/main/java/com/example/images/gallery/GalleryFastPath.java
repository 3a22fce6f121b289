package com.example.images.gallery;

import com.example.images.http.Cors;
import com.example.images.http.EntityTags;
import com.example.images.http.ErrorMapping;
import com.example.images.http.Gzip;
import com.example.images.http.PathIds;
import com.example.images.http.ProblemException;
import com.example.images.http.ProblemResponder;
import com.example.images.http.RequestMetrics;
import java.nio.ByteBuffer;
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
 * gallery GET for a plainly written id. A JFR profile showed the servlet request
 * wrappers, Javalin's routing and its context to be most of a cache hit's cost. Everything
 * else (other paths and methods, ids that are not plain digits, a draining instance) goes on
 * to the Javalin routes, which answer as they always did; an unknown product and a database
 * failure get the same problem answers as there. A cache hit is answered on the thread that read the
 * request (wrk Zipf on the 10M catalog, three alternated pairs: 43.0-51.2k → 53.0-54.9k req/s,
 * 18-24 → 16-17 µs of CPU per request), a miss by the reader that read its gallery, and what goes
 * on to the routes runs on a virtual thread, as Jetty would have run it.
 */
public final class GalleryFastPath extends Handler.Wrapper {

    private static final String PREFIX = "/api/products/";
    private static final String IMAGES = "/images";

    private final GalleryLookup galleries;
    private final Cors cors;
    private final BooleanSupplier draining;
    private final RequestMetrics metrics;

    public GalleryFastPath(GalleryLookup galleries, Cors cors, BooleanSupplier draining, RequestMetrics metrics) {
        this.galleries = galleries;
        this.cors = cors;
        this.draining = draining;
        this.metrics = metrics;
    }

    /**
     * Nothing here blocks, so Jetty may run it on the selector thread that read the request,
     * without handing it to another thread: a hit is answered at once, a miss is queued for the
     * database and answered by the thread that reads it, and only what goes on to the routes
     * gets a virtual thread of its own.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        long id = HttpMethod.GET.is(request.getMethod()) ? idIn(path) : -1;
        if (id < 0 || draining.getAsBoolean()) {
            passOn(request, response, callback);
            return true;
        }
        boolean gzip = Gzip.accepted(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
        Optional<GalleryLookup.Result> hit = galleries.cached(id, gzip);
        if (hit.isPresent()) {
            answer(request, response, callback, path, hit.get(), gzip);
            return true;
        }
        // No virtual thread waits for the read: each one parked and was woken again, two hand-offs
        // between carrier threads per miss (the profile of a Zipf run: ~9% of the service's CPU).
        galleries.read(id, gzip).whenComplete((found, failure) -> {
            try {
                if (failure != null) {
                    answerProblem(request, response, callback, path,
                            ErrorMapping.databaseFailure(Futures.sqlOrThrow(failure), "GET", path));
                } else if (found.isPresent()) {
                    answer(request, response, callback, path, found.get(), gzip);
                } else {
                    // Answered here, as the route would: passed on, the route read the product again.
                    answerProblem(request, response, callback, path, GalleryRoutes.noSuchProduct(id));
                }
            } catch (Throwable unexpected) {
                callback.failed(unexpected);
            }
        });
        return true;
    }

    /** To the Javalin routes, on a virtual thread, as Jetty would have run them. */
    private void passOn(Request request, Response response, Callback callback) {
        Thread.startVirtualThread(() -> {
            try {
                if (!super.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                callback.failed(failure);
            }
        });
    }

    private void answerProblem(Request request, Response response, Callback callback, String path,
                               ProblemException answer) {
        cors.readHeaders(path, response.getHeaders()::put);
        ProblemResponder.respond(response, answer.problem(), answer.headers(), path, callback);
        record(request, path, answer.problem().status());
    }

    private void answer(Request request, Response response, Callback callback, String path,
                        GalleryLookup.Result found, boolean gzip) {
        var answer = GalleryResponse.of(found, EntityTags.header(request.getHeaders(), HttpHeader.IF_NONE_MATCH), gzip);
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
