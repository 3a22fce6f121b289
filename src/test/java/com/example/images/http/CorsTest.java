package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import org.junit.jupiter.api.Test;

class CorsTest {

    private final Http http = TestApp.http();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void public_reads_allow_any_origin() {
        var product = fixtures.placeholderProduct("Shared Teapot", 1);

        for (String path : new String[] {
                "/api/products/" + product.id() + "/images", "/img/1/0/84x84.svg", "/assets/gallery.js", "/assets/page.css"}) {
            var response = http.get(path, "Origin", "http://shop.example");
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue("*");
        }
    }

    @Test
    void read_errors_allow_any_origin_so_that_the_widget_can_tell_them_apart() {
        long unknown = fixtures.unknownProductId();

        var notFound = http.get("/api/products/" + unknown + "/images", "Origin", "http://shop.example");
        var badId = http.get("/api/products/abc/images", "Origin", "http://shop.example");

        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void preflight_allows_only_reads() {
        var product = fixtures.placeholderProduct("Preflighted Mug", 1);

        var response = http.send("OPTIONS", "/api/products/" + product.id() + "/images", null,
                "Origin", "http://shop.example", "Access-Control-Request-Method", "PUT");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, HEAD");
        assertThat(http.get("/api/nothing/here").statusCode()).as("unknown paths stay 404").isEqualTo(404);
    }

    @Test
    void writes_and_private_endpoints_get_no_cors() {
        var product = fixtures.placeholderProduct("Private Plate", 1);

        var write = http.send("POST", "/api/products/" + product.id() + "/images", "{}",
                "Origin", "http://shop.example", "Content-Type", "application/json");
        var health = http.get("/health/live", "Origin", "http://shop.example");
        var page = http.get("/products/" + product.id(), "Origin", "http://shop.example");

        assertThat(write.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(health.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
