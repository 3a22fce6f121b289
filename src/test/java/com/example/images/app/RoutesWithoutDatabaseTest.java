package com.example.images.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.auth.ApiTokens;
import com.example.images.gallery.GalleryJson;
import com.example.images.gallery.GalleryLookup;
import com.example.images.gallery.GalleryRepository;
import com.example.images.health.Readiness;
import com.example.images.media.FileBlobStore;
import com.example.images.media.ProcessingSettings;
import com.example.images.media.VipsCliProcessor;
import com.example.images.metrics.Metrics;
import com.example.images.product.FieldRules;
import com.example.images.product.ProductRepository;
import com.example.images.product.ProductWrites;
import com.example.images.db.Transactions;
import com.example.images.support.Http;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link Application#routes} over fakes, without PostgreSQL: the gallery endpoint answers from an
 * in-memory lookup over real HTTP, through the Jetty fast path and through the Javalin route.
 */
class RoutesWithoutDatabaseTest {

    private static final GalleryJson CHAIR = GalleryJson.of(7,
            "{\"productId\":7,\"name\":\"Chair\",\"images\":[]}".getBytes(StandardCharsets.UTF_8), 3);

    private static final GalleryJson LAMP = GalleryJson.of(9,
            "{\"productId\":9,\"name\":\"Lamp\",\"images\":[]}".getBytes(StandardCharsets.UTF_8), 1);

    /** The chair is "cached"; the lamp is only read, on another thread, as a miss is. */
    private static final class InMemoryGalleries implements GalleryLookup {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Optional<Result> cached(long productId, boolean gzip) {
            return productId == CHAIR.productId() ? Optional.of(result(CHAIR, gzip)) : Optional.empty();
        }

        @Override
        public CompletableFuture<Optional<Result>> read(long productId, boolean gzip) {
            reads.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> productId == LAMP.productId()
                    ? Optional.of(result(LAMP, gzip)) : cached(productId, gzip));
        }

        private static Result result(GalleryJson gallery, boolean gzip) {
            return new Result(gzip ? gallery.withGzip() : gallery, false);
        }
    }

    private static final InMemoryGalleries galleries = new InMemoryGalleries();
    private static Javalin server;
    private static Http http;

    @BeforeAll
    static void start() throws IOException {
        // Nothing listens on port 1: anything that does reach for the database gets a refused connection.
        var nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none");
        var services = services(galleries, nowhere);
        server = Application.routes(services, "127.0.0.1", 0, Duration.ofSeconds(5), Duration.ofSeconds(10)).start();
        http = new Http("http://127.0.0.1:" + server.port());
    }

    static Application.Services services(GalleryLookup galleries, DataSource database) throws IOException {
        var repository = new GalleryRepository(database);
        var products = new ProductRepository(database);
        var writes = new ProductWrites(new Transactions(database), products, repository, id -> { });
        return new Application.Services(galleries, repository, products, writes, new FieldRules(false), ApiTokens.none(),
                new Readiness(database), new Metrics(), new FileBlobStore(Files.createTempDirectory("media")),
                new VipsCliProcessor(ProcessingSettings.defaults()));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void a_cached_gallery_is_answered_from_the_lookup_on_the_fast_path_and_the_route_alike() {
        var fast = http.get("/api/products/7/images");
        var routed = http.get("/api/products/7/images/");

        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).isEqualTo(new String(CHAIR.body(), StandardCharsets.UTF_8));
        assertThat(fast.headers().firstValue("ETag")).hasValue(CHAIR.etag());
        assertThat(fast.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(routed.statusCode()).isEqualTo(200);
        assertThat(routed.body()).isEqualTo(fast.body());
        assertThat(routed.headers().firstValue("ETag")).hasValue(CHAIR.etag());
        assertThat(http.get("/api/products/7/images/", "If-None-Match", CHAIR.etag()).statusCode()).isEqualTo(304);
        assertThat(http.send("HEAD", "/api/products/7/images", null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_miss_is_answered_when_the_lookup_completes_on_another_thread() {
        int readsBefore = galleries.reads.get();
        var fast = http.get("/api/products/9/images", "Accept-Encoding", "gzip");
        var routed = http.get("/api/products/9/images/", "Accept-Encoding", "gzip");

        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).isEqualTo(new String(LAMP.body(), StandardCharsets.UTF_8));
        assertThat(fast.headers().firstValue("ETag")).hasValue(LAMP.etag());
        assertThat(routed.statusCode()).isEqualTo(200);
        assertThat(routed.body()).isEqualTo(fast.body());
        assertThat(galleries.reads.get() - readsBefore).isEqualTo(2);
    }

    @Test
    void an_unknown_product_is_a_404_problem_and_a_malformed_id_a_400() {
        var unknown = http.get("/api/products/8/images");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(unknown.body()).contains("There is no product with id 8.");
        assertThat(http.get("/api/products/007/images").statusCode()).isEqualTo(400);
    }

    @Test
    void a_route_that_reaches_for_the_database_answers_503_with_retry_after() {
        var page = http.get("/products/7", "Accept", "application/json");

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void the_hit_is_answered_on_the_thread_that_read_the_request() {
        assertThat(Application.requestInvocationType(server)).isEqualTo(InvocationType.NON_BLOCKING);
        assertThat(http.get("/metrics").body()).contains("route=\"/api/products/{id}/images\"");
    }
}
