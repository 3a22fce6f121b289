package com.example.images.gallery;

import com.example.images.http.Cors;
import com.example.images.http.EntityTags;
import com.example.images.http.ErrorMapping;
import com.example.images.http.Gzip;
import com.example.images.http.PathIds;
import com.example.images.http.ProblemException;
import com.example.images.http.ProblemResponder;
import com.example.images.http.RequestMetrics;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * {@code GET} and {@code HEAD} of {@code /api/products/{id}/images}: a product with its public
 * gallery (ready images only) as JSON, the same bytes and ETag on both paths. The one place that
 * parses the id, negotiates gzip, looks the gallery up, builds the response
 * ({@link GalleryResponse}), picks the problem for an unknown product or a failed read, and names
 * the metric label. CORS comes from {@link Cors}, problems are rendered by {@link ProblemResponder}.
 *
 * <p>Requests arrive two ways. Most GETs reach {@link #answer(Request, Response, Callback)} from
 * {@link GalleryFastPath}, in Jetty's core handler chain, without blocking. The rest (HEAD, a
 * trailing slash, an id that is not plainly written, a draining instance) reach
 * {@link #answer(Context)} through the Javalin routes that {@code product.ProductRoutes} registers.
 */
public final class GalleryEndpoint {

    /** The route template, which is also the metric label. */
    public static final String GALLERY = "/api/products/{id}/images";

    private static final String PREFIX = "/api/products/";
    private static final String IMAGES = "/images";

    private final GalleryLookup galleries;
    private final Cors cors;
    private final RequestMetrics metrics;

    /** @param metrics where the answers given outside the routes are recorded (the routes' own are recorded by the server) */
    public GalleryEndpoint(GalleryLookup galleries, Cors cors, RequestMetrics metrics) {
        this.galleries = galleries;
        this.cors = cors;
        this.metrics = metrics;
    }

    /** The Javalin route's handler, on a virtual thread: it may wait for the database. */
    public void answer(Context ctx) throws SQLException, IOException {
        long id = PathIds.parse("id", ctx.pathParam("id"));
        boolean gzip = Gzip.accepted(ctx.header("Accept-Encoding"));
        GalleryLookup.Result result = galleries.find(id, gzip).orElseThrow(() -> noSuchProduct(id));
        var answer = GalleryResponse.of(result, EntityTags.header(ctx, "If-None-Match"), gzip);
        answer.headers(ctx::header);
        ctx.status(answer.status());
        if (answer.body() == null) {
            ctx.res().setContentType(null); // Javalin's default text/plain would describe no body
        } else {
            // Straight to the servlet stream: ctx.result(bytes) would copy through an InputStream
            // and a compression wrapper, which a profile showed as a large share of a cached
            // request (docs/bench-log/).
            ctx.res().setContentLength(answer.body().length);
            ctx.res().getOutputStream().write(answer.body());
        }
    }

    /**
     * Answers a GET of a plainly written id through Jetty's core API, without blocking: a cached
     * gallery at once, on the calling thread; a miss when the lookup completes, on the thread
     * that read it. Returns false, having done nothing, for any other request.
     */
    public boolean answer(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        long id = HttpMethod.GET.is(request.getMethod()) ? idIn(path) : -1;
        if (id < 0) {
            return false;
        }
        boolean gzip = Gzip.accepted(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
        Optional<GalleryLookup.Result> hit = galleries.cached(id, gzip);
        if (hit.isPresent()) {
            send(request, response, callback, path, hit.get(), gzip);
            return true;
        }
        // No virtual thread waits for the read: each one parked and was woken again, two hand-offs
        // between carrier threads per miss, a measurable share of the service's CPU (docs/bench-log/).
        galleries.read(id, gzip).whenComplete((found, failure) -> {
            try {
                if (failure != null) {
                    sendProblem(request, response, callback, path,
                            ErrorMapping.databaseFailure(Futures.sqlOrThrow(failure), "GET", path));
                } else if (found.isPresent()) {
                    send(request, response, callback, path, found.get(), gzip);
                } else {
                    sendProblem(request, response, callback, path, noSuchProduct(id));
                }
            } catch (Throwable unexpected) {
                callback.failed(unexpected);
            }
        });
        return true;
    }

    private static ProblemException noSuchProduct(long id) {
        return ProblemException.notFound("There is no product with id " + id + ".");
    }

    private void sendProblem(Request request, Response response, Callback callback, String path,
                             ProblemException answer) {
        cors.readHeaders(path, response.getHeaders()::put);
        ProblemResponder.respond(response, answer.problem(), answer.headers(), path, callback);
        record(request, path, answer.problem().status());
    }

    private void send(Request request, Response response, Callback callback, String path,
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
        metrics.record("GET", GALLERY, status, NanoTime.since(request.getBeginNanoTime()));
    }

    /**
     * The id in {@code /api/products/{id}/images} when {@link PathIds} accepts it; -1 for
     * anything else, which the routes then judge (and answer with a precise 400 where it is
     * malformed). The product itself ({@code /api/products/{id}}, the merchant's view of every
     * image) is not this path's: its route reads it.
     */
    static long idIn(String path) {
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(IMAGES)) {
            return -1;
        }
        return PathIds.valueOf(path, PREFIX.length(), path.length() - IMAGES.length());
    }
}
