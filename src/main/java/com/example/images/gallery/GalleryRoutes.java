package com.example.images.gallery;

import com.example.images.http.EntityTags;
import com.example.images.http.Gzip;
import com.example.images.http.PathIds;
import com.example.images.http.ProblemException;
import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;

/**
 * {@code GET /api/products/{id}/images} and {@code GET /api/products/{id}}: a product with its
 * gallery as JSON. Both answer the same bytes with the same ETag, from the same cache. Most
 * GETs are answered before they get here, by {@link GalleryFastPath}; these routes answer the
 * rest (HEAD, a trailing slash, malformed ids) and document the API.
 */
public final class GalleryRoutes implements Routes {

    static final String GALLERY = "/api/products/{id}/images";
    static final String PRODUCT = "/api/products/{id}";

    private final GalleryLookup galleries;

    public GalleryRoutes(GalleryLookup galleries) {
        this.galleries = galleries;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        Routes.read(routes, GALLERY, this::gallery);
        Routes.read(routes, PRODUCT, this::gallery);
    }

    static ProblemException noSuchProduct(long id) {
        return ProblemException.notFound("There is no product with id " + id + ".");
    }

    void gallery(Context ctx) throws SQLException, java.io.IOException {
        long id = PathIds.parse("id", ctx.pathParam("id"));
        boolean gzip = Gzip.accepted(ctx.header("Accept-Encoding"));
        GalleryLookup.Result result = galleries.find(id, gzip)
                .orElseThrow(() -> noSuchProduct(id));
        var answer = GalleryResponse.of(result, EntityTags.header(ctx, "If-None-Match"), gzip);
        answer.headers(ctx::header);
        ctx.status(answer.status());
        if (answer.body() == null) {
            ctx.res().setContentType(null); // Javalin's default text/plain would describe no body
        } else {
            // Straight to the servlet stream: ctx.result(bytes) would copy through an InputStream
            // and a compression wrapper, which the profile showed as 15% of a cached request.
            ctx.res().setContentLength(answer.body().length);
            ctx.res().getOutputStream().write(answer.body());
        }
    }
}
