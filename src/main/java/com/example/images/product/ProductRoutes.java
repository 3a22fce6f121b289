package com.example.images.product;

import com.example.images.auth.BearerAuth;
import com.example.images.db.Lsn;
import com.example.images.db.ReplicaFreshness;
import com.example.images.gallery.GalleryEndpoint;
import com.example.images.gallery.GalleryJson;
import com.example.images.gallery.GalleryRepository;
import com.example.images.http.EntityTags;
import com.example.images.http.JsonBody;
import com.example.images.http.PathIds;
import com.example.images.http.ProblemException;
import com.example.images.http.Routes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.MethodNotAllowedResponse;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the product resource, {@code /api/products} and its images, in one table. The
 * public gallery ({@code GET /api/products/{id}/images}) is the read path's: {@link GalleryEndpoint}
 * answers it, most GETs already in front of these routes ({@code gallery.GalleryFastPath}). The
 * product itself ({@code GET /api/products/{id}}) is the merchant's view of every image, whatever
 * its status: read from the database each time, never from the public gallery's cache. It is
 * public too, but a token sent with it is checked, which is how the editor checks one. Every
 * write is guarded by the bearer token check before its body is read; then the body is parsed
 * and checked against the field rules; then {@link ProductWrites} does the work in a
 * transaction. Write responses go out only after the commit and carry the product's new ETag.
 */
public final class ProductRoutes implements Routes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(ProductRoutes.class);
    private static final String CACHE_CONTROL_READ = "public, max-age=1";

    private final GalleryEndpoint gallery;
    private final ProductWrites writes;
    private final ProductRepository repository;
    private final GalleryRepository products;
    private final BearerAuth auth;
    private final JsonBody body;
    private final FieldRules rules;
    private final ImageUploads uploads;
    private final ReplicaFreshness freshness;

    /**
     * @param products  the merchant's product view
     * @param uploads   image uploads, or null where the service takes image URLs only (a 503 for bytes)
     * @param freshness with replicas, where a write's {@code X-Commit-LSN} comes from
     */
    public ProductRoutes(GalleryEndpoint gallery, ProductWrites writes, ProductRepository repository,
                         GalleryRepository products, BearerAuth auth, JsonBody body, FieldRules rules,
                         ImageUploads uploads, ReplicaFreshness freshness) {
        this.uploads = uploads;
        this.freshness = freshness;
        this.gallery = gallery;
        this.writes = writes;
        this.repository = repository;
        this.products = products;
        this.auth = auth;
        this.body = body;
        this.rules = rules;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/products", auth.guard(this::createProduct));
        Routes.read(routes, "/api/products/{id}", auth.checkIfSent(this::product));
        routes.patch("/api/products/{id}", auth.guard(this::renameProduct));
        routes.delete("/api/products/{id}", auth.guard(this::deleteProduct));
        Routes.read(routes, GalleryEndpoint.GALLERY, gallery::answer);
        routes.post("/api/products/{id}/images", auth.guard(this::addImage));
        routes.put("/api/products/{id}/images/order", auth.guard(this::reorderImages));
        // Before the {imageId} routes, which would take "order" for a malformed image id (a 400).
        Routes.read(routes, "/api/products/{id}/images/order", ProductRoutes::onlyPut);
        routes.patch("/api/products/{id}/images/order", ProductRoutes::onlyPut);
        routes.delete("/api/products/{id}/images/order", ProductRoutes::onlyPut);
        Routes.read(routes, "/api/products/{id}/images/{imageId}", this::image);
        routes.patch("/api/products/{id}/images/{imageId}", auth.guard(this::updateImage));
        routes.delete("/api/products/{id}/images/{imageId}", auth.guard(this::deleteImage));
    }

    void createProduct(Context ctx) throws SQLException {
        NewProduct product = rules.check(body.read(ctx, NewProduct.class).value());
        GalleryJson created = writes.create(product);
        ctx.header("Location", "/api/products/" + created.productId());
        written(ctx, created.productId(), 201, created.etag(), created.body());
    }

    void product(Context ctx) throws SQLException {
        long id = productId(ctx);
        GalleryJson product = products.findProduct(id)
                .orElseThrow(() -> ProblemException.notFound("There is no product with id " + id + "."));
        read(ctx, product.etag(), product.body());
    }

    void renameProduct(Context ctx) throws SQLException {
        long id = productId(ctx);
        ProductPatch patch = body.read(ctx, ProductPatch.class).value();
        rules.check(patch);
        GalleryJson renamed = writes.rename(id, ifMatch(ctx), patch.name());
        written(ctx, id, 200, renamed.etag(), renamed.body());
    }

    void deleteProduct(Context ctx) throws SQLException {
        long id = productId(ctx);
        writes.delete(id, ifMatch(ctx));
        committed(ctx, id);
        ctx.header("Cache-Control", "no-store").status(204);
    }

    void addImage(Context ctx) throws Exception {
        long id = productId(ctx);
        if (ImageUploads.isUpload(ctx)) {
            uploadImage(ctx, id);
            return;
        }
        NewImage image = rules.check(body.read(ctx, NewImage.class).value());
        ProductWrites.ImageWritten added = writes.addImage(id, ifMatch(ctx), image);
        ctx.header("Location", "/api/products/" + id + "/images/" + added.image().id());
        written(ctx, id, 201, GalleryJson.etag(id, added.version()), json(added.image()));
    }

    /** The image's bytes: stored and queued before the answer, a 202 while its renditions are made. */
    private void uploadImage(Context ctx, long id) throws Exception {
        if (uploads == null) {
            throw new ProblemException(new com.example.images.http.Problem(503, "Service Unavailable",
                    "This instance takes image URLs only; it has no media store."), Map.of("Retry-After", "60"));
        }
        IfMatch ifMatch = ifMatch(ctx);
        ImageUploads.Received received = uploads.receive(ctx);
        try {
            if (received.alt() != null) {
                rules.check(new JsonBody.Parsed<>(new ImagePatch(null, null, received.alt(), null, null, null),
                        java.util.Set.of("alt")));
            }
            ProductWrites.ImageWritten added = uploads.add(id, ifMatch, received);
            ctx.header("Location", "/api/products/" + id + "/images/" + added.image().id());
            written(ctx, id, 202, GalleryJson.etag(id, added.version()), json(added.image()));
        } finally {
            ImageUploads.delete(received.file());
        }
    }

    void reorderImages(Context ctx) throws SQLException {
        long id = productId(ctx);
        ImageOrder order = body.read(ctx, ImageOrder.class).value();
        rules.check(order);
        GalleryJson reordered = writes.reorder(id, ifMatch(ctx), order.imageIds());
        written(ctx, id, 200, reordered.etag(), reordered.body());
    }

    void image(Context ctx) throws SQLException {
        long id = productId(ctx);
        long imageId = imageId(ctx);
        ProductRepository.ImageAtVersion found = repository.findImage(id, imageId)
                .orElseThrow(() -> ProblemException.notFound("There is no product with id " + id + "."));
        Image image = found.image().orElseThrow(() -> ProductWrites.noSuchImage(id, imageId));
        read(ctx, GalleryJson.etag(id, found.version()), json(image));
    }

    /** A read's answer: the product's ETag, and a 304 when the client has it already. */
    private static void read(Context ctx, String etag, byte[] json) {
        ctx.header("ETag", etag).header("Cache-Control", CACHE_CONTROL_READ);
        if (EntityTags.noneMatch(EntityTags.header(ctx, "If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(json);
    }

    void updateImage(Context ctx) throws SQLException {
        long id = productId(ctx);
        long imageId = imageId(ctx);
        JsonBody.Parsed<ImagePatch> patch = rules.check(body.read(ctx, ImagePatch.class));
        ProductWrites.ImageWritten updated = writes.updateImage(id, imageId, ifMatch(ctx), patch.value(), patch.members());
        written(ctx, id, 200, GalleryJson.etag(id, updated.version()), json(updated.image()));
    }

    void deleteImage(Context ctx) throws SQLException {
        long id = productId(ctx);
        long version = writes.deleteImage(id, imageId(ctx), ifMatch(ctx));
        committed(ctx, id);
        ctx.header("ETag", GalleryJson.etag(id, version)).header("Cache-Control", "no-store").status(204);
    }

    /** Javalin's own 405, which ErrorMapping answers as it answers every other wrong method. */
    private static void onlyPut(Context ctx) {
        throw new MethodNotAllowedResponse("", Map.of("availableMethods", "PUT"));
    }

    private static long productId(Context ctx) {
        return PathIds.parse("id", ctx.pathParam("id"));
    }

    private static long imageId(Context ctx) {
        return PathIds.parse("imageId", ctx.pathParam("imageId"));
    }

    private static IfMatch ifMatch(Context ctx) {
        return new IfMatch(EntityTags.header(ctx, "If-Match"));
    }

    private void written(Context ctx, long productId, int status, String etag, byte[] json) {
        committed(ctx, productId);
        ctx.status(status).header("ETag", etag).header("Cache-Control", "no-store")
                .contentType("application/json").result(json);
    }

    /**
     * With replicas, the primary's WAL position after the write committed, which is past its commit:
     * a read that sends it back as {@code X-Min-LSN}, to any instance, sees this write. Without it
     * (the primary went away right after the commit) the write still stands, and is acknowledged.
     */
    private void committed(Context ctx, long productId) {
        try {
            freshness.afterWrite(productId).ifPresent(lsn -> ctx.header(GalleryEndpoint.COMMIT_LSN, Lsn.format(lsn)));
        } catch (SQLException e) {
            log.warn("Product {} written, but the primary's WAL position could not be read: {}", productId, e.getMessage());
        }
    }

    private static byte[] json(Image image) {
        try {
            return JSON.writeValueAsBytes(image);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an image record always serialises", e);
        }
    }
}
