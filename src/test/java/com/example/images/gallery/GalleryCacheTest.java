package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GalleryCacheTest {

    private static final Duration BOUND = Duration.ofSeconds(1);
    private static Application a;
    private static Application b;
    private static Application uncached;
    private final Fixtures fixtures = Fixtures.shared();

    @BeforeAll
    static void startInstances() throws Exception {
        Settings base = Settings.defaults(TestDatabase.tempDir("images-cache"))
                .withDatabase(TestDatabase.shared().url())
                .withDemoData(false)
                .withApiTokens(ApiTokens.of(TestApp.TOKEN));
        a = Application.start(base);
        b = Application.start(base);
        uncached = Application.start(base.withCache(new Settings.CacheSettings(0, Duration.ofMinutes(5), BOUND)));
    }

    @AfterAll
    static void stopInstances() {
        for (Application app : new Application[] {a, b, uncached}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void a_write_through_one_instance_is_visible_through_the_other_within_the_bound() throws Exception {
        var product = fixtures.product("Recycled Rubber Boots", 3);
        Http viaA = http(a);
        Http viaB = http(b);
        assertThat(viaB.get(galleryPath(product.id())).body()).contains("Recycled Rubber Boots\"");
        assertThat(viaB.get(galleryPath(product.id())).body()).contains("Recycled Rubber Boots\"");

        var patched = new Api(viaA, TestApp.TOKEN).write("PATCH", "/api/products/" + product.id(),
                "{\"name\":\"Recycled Rubber Boots, waterproof\"}");
        long changedAt = System.nanoTime();

        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(viaA.get(galleryPath(product.id())).body()).as("the writer's own instance, at once").contains("waterproof");
        awaitBody(viaB, galleryPath(product.id()), "waterproof", changedAt);
    }

    @Test
    void a_change_made_directly_in_the_database_is_visible_through_every_instance_within_the_bound() throws Exception {
        var product = fixtures.product("Vintage Leather Wallet", 2);
        Http viaA = http(a);
        Http viaB = http(b);
        assertThat(viaA.get(galleryPath(product.id())).body()).contains("Vintage Leather Wallet");
        assertThat(viaB.get(galleryPath(product.id())).body()).contains("Vintage Leather Wallet");

        rename(product.id(), "Vintage Leather Wallet, restocked");
        long changedAt = System.nanoTime();

        awaitBody(viaA, galleryPath(product.id()), "restocked", changedAt);
        awaitBody(viaB, galleryPath(product.id()), "restocked", changedAt);
    }

    @Test
    void cached_and_uncached_instances_send_identical_bytes() {
        var product = fixtures.product("Sleek Copper Kettle", 7);
        Http cachedHttp = http(a);
        cachedHttp.get(galleryPath(product.id()));

        var fromCache = cachedHttp.get(galleryPath(product.id()));
        var fromDatabase = http(uncached).get(galleryPath(product.id()));

        assertThat(fromCache.statusCode()).isEqualTo(200);
        assertThat(fromCache.body()).isEqualTo(fromDatabase.body());
        assertThat(fromCache.headers().firstValue("ETag")).isEqualTo(fromDatabase.headers().firstValue("ETag"));
    }

    @Test
    void gzip_is_sent_to_clients_that_accept_it_and_decodes_to_the_same_bytes() throws Exception {
        var product = fixtures.product("Large Velvet Sofa", 10);
        var plain = http(a).get(galleryPath(product.id()));

        var zipped = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(http(a).base() + galleryPath(product.id())))
                        .header("Accept-Encoding", "gzip").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());

        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        byte[] decoded = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body())).readAllBytes();
        assertThat(new String(decoded, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(plain.body());
        assertThat(zipped.body().length).isLessThan(plain.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void etag_changes_with_the_product_and_a_cached_304_turns_into_200() throws Exception {
        var product = fixtures.product("Compact Steel Desk", 1);
        Http http = http(a);
        String etag = http.get(galleryPath(product.id())).headers().firstValue("ETag").orElseThrow();
        assertThat(http.get(galleryPath(product.id()), "If-None-Match", etag).statusCode()).isEqualTo(304);

        rename(product.id(), "Compact Steel Desk II");
        long changedAt = System.nanoTime();
        awaitBody(http, galleryPath(product.id()), "Desk II", changedAt);

        var after = http.get(galleryPath(product.id()), "If-None-Match", etag);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
    }

    @Test
    void a_lost_listener_reconnects_and_nothing_stale_is_served_beyond_the_bound() throws Exception {
        var product = fixtures.product("Fresh Linen Towel", 3);
        Http viaB = http(b);
        viaB.get(galleryPath(product.id()));
        assertThat(viaB.get(galleryPath(product.id())).body()).contains("Fresh Linen Towel\"");

        int killed = terminateListeners();
        rename(product.id(), "Fresh Linen Towel, new colour");
        long changedAt = System.nanoTime();

        assertThat(killed).isGreaterThanOrEqualTo(1);
        awaitBody(viaB, galleryPath(product.id()), "new colour", changedAt);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (countListeners() < killed && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(countListeners()).isGreaterThanOrEqualTo(killed);
        for (int i = 0; i < 20; i++) {
            assertThat(viaB.get(galleryPath(product.id())).body()).contains("new colour");
            Thread.sleep(25);
        }
    }

    @Test
    void metrics_count_requests_per_route_and_status_and_report_cache_pool_and_jvm() {
        var product = fixtures.product("Modern Glass Vase", 2);
        Http http = http(a);
        String route = "method=\"GET\",route=\"/api/products/{id}/images\",status=\"200\"";
        String beforeMetrics = http.get("/metrics").body();
        double before = counter(beforeMetrics, route);
        double missesBefore = counter(beforeMetrics, "cache=\"galleries\",result=\"miss\"");
        double readBefore = plain(beforeMetrics, "gallery_read_products_total");
        double queriesBefore = plain(beforeMetrics, "gallery_read_queries_total");

        for (int i = 0; i < 5; i++) {
            assertThat(http.get(galleryPath(product.id())).statusCode()).isEqualTo(200);
        }
        String metrics = http.get("/metrics").body();

        assertThat(counter(metrics, route) - before).isEqualTo(5.0);
        assertThat(metrics).contains("http_server_requests_seconds_bucket{")
                .contains("cache_gets_total{cache=\"galleries\"")
                .contains("cache_evictions_total{cache=\"galleries\"")
                .contains("cache_admissions_refused_total{cache=\"galleries\"")
                .contains("hikaricp_connections_active")
                .contains("hikaricp_connections_pending")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_gc_");
        assertThat(counter(metrics, "cache=\"galleries\",result=\"hit\"")).isGreaterThanOrEqualTo(4.0);
        // One miss, counted once, read from the database by one query; the four hits read nothing.
        assertThat(counter(metrics, "cache=\"galleries\",result=\"miss\"") - missesBefore).isEqualTo(1.0);
        assertThat(plain(metrics, "gallery_read_products_total") - readBefore).isEqualTo(1.0);
        assertThat(plain(metrics, "gallery_read_queries_total") - queriesBefore).isEqualTo(1.0);
        assertThat(metrics).contains("gallery_read_queued ");
    }

    @Test
    void an_unknown_product_is_read_from_the_database_once_per_request() {
        long unknown = fixtures.unknownProductId();
        Http http = http(a);
        double readBefore = plain(http.get("/metrics").body(), "gallery_read_products_total");

        var notFound = http.get(galleryPath(unknown));

        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).contains("There is no product with id " + unknown + ".");
        assertThat(plain(http.get("/metrics").body(), "gallery_read_products_total") - readBefore).isEqualTo(1.0);
    }

    private static double plain(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+]+)$").matcher(metrics);
        assertThat(m.find()).as("/metrics has %s", name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static double counter(String metrics, String labels) {
        Matcher m = Pattern.compile("(?m)^[a-z_]+(?:_count|_total)\\{[^}]*" + Pattern.quote(labels) + "[^}]*} ([0-9.eE+]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    /** Polls until the body contains the text; fails if that took longer than the bound plus slack. */
    private static void awaitBody(Http http, String path, String text, long changedAt) throws InterruptedException {
        long deadline = changedAt + BOUND.toNanos() + Duration.ofMillis(500).toNanos();
        while (System.nanoTime() < deadline) {
            if (http.get(path).body().contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(http.get(path).body()).as("fresh within the staleness bound").contains(text);
    }

    private static void rename(long productId, String name) throws SQLException {
        try (Connection c = TestDatabase.shared().dataSource().getConnection();
             var st = c.prepareStatement("UPDATE products SET name = ?, version = version + 1 WHERE id = ?")) {
            st.setString(1, name);
            st.setLong(2, productId);
            st.executeUpdate();
        }
    }

    private static int terminateListeners() throws SQLException {
        try (Connection c = TestDatabase.shared().dataSource().getConnection();
             var rs = c.createStatement().executeQuery(
                     "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
                             + GalleryChangeListener.APPLICATION_NAME + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int countListeners() throws SQLException {
        try (Connection c = TestDatabase.shared().dataSource().getConnection();
             var rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                             + GalleryChangeListener.APPLICATION_NAME + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Http http(Application app) {
        return new Http("http://127.0.0.1:" + app.port());
    }

    private static String galleryPath(long id) {
        return "/api/products/" + id + "/images";
    }
}
