package com.example.images.gallery;

import com.example.images.http.PathIds;
import com.example.images.http.ProblemException;
import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;

/** {@code GET /api/products/{id}/images}: a product's gallery as JSON. */
public final class GalleryRoutes implements Routes {

    private final GalleryRepository galleries;

    public GalleryRoutes(GalleryRepository galleries) {
        this.galleries = galleries;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/products/{id}/images", this::gallery);
    }

    void gallery(Context ctx) throws SQLException {
        long id = PathIds.parse("id", ctx.pathParam("id"));
        GalleryJson gallery = galleries.find(id)
                .orElseThrow(() -> ProblemException.notFound("There is no product with id " + id + "."));
        ctx.header("ETag", gallery.etag());
        ctx.header("Cache-Control", "public, max-age=1");
        if (gallery.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(gallery.body());
    }
}
