package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GalleryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Http http = TestApp.http();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void known_product_returns_its_gallery_in_position_order() throws Exception {
        var product = fixtures.product("Handmade Cotton Shirt", 5);

        var response = http.get("/api/products/" + product.id() + "/images");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("productId").asLong()).isEqualTo(product.id());
        assertThat(body.get("name").asText()).isEqualTo("Handmade Cotton Shirt");
        JsonNode images = body.get("images");
        assertThat(images).hasSize(5);
        for (int i = 0; i < 5; i++) {
            JsonNode image = images.get(i);
            assertThat(image.get("id").asLong()).isEqualTo(product.imageIds().get(i));
            assertThat(image.get("position").asInt()).isEqualTo(i);
            assertThat(image.get("url").asText()).isEqualTo("https://cdn.example.com/" + product.id() + "/" + i + ".jpg");
            assertThat(image.get("thumbnailUrl").asText()).isEqualTo("https://cdn.example.com/" + product.id() + "/" + i + "-thumb.jpg");
            assertThat(image.get("alt").asText()).isEqualTo("Handmade Cotton Shirt #" + i);
            assertThat(image.get("width").asInt()).isEqualTo(1200);
            assertThat(image.get("height").asInt()).isEqualTo(800 + i);
        }
        assertThat(IntStream.range(0, 5).mapToObj(i -> images.get(i).fieldNames()).toList())
                .allSatisfy(names -> assertThat(names).toIterable()
                        .containsExactly("id", "position", "url", "thumbnailUrl", "alt", "width", "height"));
    }

    @Test
    void a_read_after_a_wal_position_is_answered_from_a_single_database() throws Exception {
        var product = fixtures.product("Read after a position", 2);

        var response = http.get("/api/products/" + product.id() + "/images", "X-Min-LSN", "0/0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("images")).hasSize(2);
    }

    @Test
    void a_malformed_min_lsn_is_a_400_that_names_the_header() throws Exception {
        var product = fixtures.product("Malformed position", 1);

        var response = http.get("/api/products/" + product.id() + "/images", "X-Min-LSN", "yesterday");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("X-Min-LSN").contains("16/B374D848");
    }

    @Test
    void product_without_images_has_an_empty_gallery() throws Exception {
        var product = fixtures.product("Bare Steel Table", 0);

        var response = http.get("/api/products/" + product.id() + "/images");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("images")).isEmpty();
    }

    @Test
    void unknown_product_is_404_problem() throws Exception {
        long id = fixtures.unknownProductId();

        var response = http.get("/api/products/" + id + "/images");

        assertThat(response.statusCode()).isEqualTo(404);
        assertProblem(response.headers().firstValue("Content-Type").orElse(""), response.body(), 404);
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains(String.valueOf(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "1.5", "99999999999999999999", "9223372036854775808", "%00", "%zz", "1%20", "+1", "0x10"})
    void malformed_id_is_400_problem(String id) throws Exception {
        var response = http.raw("GET", "/api/products/" + id + "/images");

        assertThat(response.status()).isEqualTo(400);
        assertProblem(response.headers().get("content-type"), response.body(), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATCH", "PUT", "DELETE", "OPTIONS", "POST", "MADEUP"})
    void what_jetty_refuses_itself_is_a_problem_whatever_the_method(String method) throws Exception {
        // A control character in a header value: Jetty's parser refuses it before any route.
        var response = rawExchange(method + " /api/products/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd: a\u007fb\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertProblem(response.headers().get("content-type"), response.body(), 400);
    }

    private Http.RawResponse rawExchange(String request) throws java.io.IOException {
        var uri = java.net.URI.create(http.base());
        try (var socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return Http.RawResponse.parse(new String(socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void ten_kilobyte_id_is_400_problem() throws Exception {
        var response = http.raw("GET", "/api/products/" + "7".repeat(10 * 1024) + "/images");

        assertThat(response.status()).isEqualTo(400);
        assertProblem(response.headers().get("content-type"), response.body(), 400);
        assertThat(response.body().length()).isLessThan(1024);
    }

    @Test
    void largest_id_is_accepted_and_not_found() {
        var response = http.get("/api/products/9223372036854775807/images");

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void wrong_method_is_405_with_allow() throws Exception {
        var product = fixtures.product("Sleek Wooden Chair", 1);

        var response = http.send("DELETE", "/api/products/" + product.id() + "/images", null);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
        assertProblem(response.headers().firstValue("Content-Type").orElse(""), response.body(), 405);
    }

    @Test
    void wrong_methods_on_the_order_path_are_405_allowing_put_with_or_without_a_token() throws Exception {
        var product = fixtures.product("Ordered Shelf", 2);
        String path = "/api/products/" + product.id() + "/images/order";

        for (var response : List.of(http.get(path), http.send("DELETE", path, null),
                http.send("PATCH", path, "{}", "Authorization", "Bearer " + TestApp.TOKEN,
                        "Content-Type", "application/json"))) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("PUT");
            assertProblem(response.headers().firstValue("Content-Type").orElse(""), response.body(), 405);
        }
    }

    @Test
    void head_answers_with_the_status_and_headers_of_get_on_every_read_route() {
        var product = fixtures.product("Headed Lamp", 2);
        long id = product.id();
        String etag = http.get("/api/products/" + id).headers().firstValue("ETag").orElseThrow();
        for (String path : List.of("/api/products/abc", "/api/products/" + id, "/api/products/" + id + "/images",
                "/api/products/" + id + "/images/" + product.imageIds().get(0), "/api/products/" + id + "/images/order",
                "/api/products/" + fixtures.unknownProductId(), "/products/" + id, "/products/" + fixtures.unknownProductId(),
                "/assets/nope.js", "/health/live", "/openapi.json")) {
            var get = http.get(path);
            var head = http.send("HEAD", path, null);
            assertThat(head.statusCode()).as("HEAD %s", path).isEqualTo(get.statusCode());
            assertThat(head.headers().firstValue("ETag")).as("HEAD %s", path).isEqualTo(get.headers().firstValue("ETag"));
            assertThat(head.headers().firstValue("Content-Type")).as("HEAD %s", path)
                    .isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.body()).isEmpty();
        }
        assertThat(http.send("HEAD", "/api/products/" + id, null, "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void unknown_path_is_404_problem() throws Exception {
        var response = http.get("/api/nothing/here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertProblem(response.headers().firstValue("Content-Type").orElse(""), response.body(), 404);
    }

    @Test
    void gallery_carries_an_etag_and_answers_if_none_match_with_304() {
        var product = fixtures.product("Rustic Linen Pillow", 2);
        var first = http.get("/api/products/" + product.id() + "/images");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        var again = http.get("/api/products/" + product.id() + "/images", "If-None-Match", etag);
        var other = http.get("/api/products/" + product.id() + "/images", "If-None-Match", "\"something-else\"");

        assertThat(etag).matches("\"[^\"]+\"");
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(other.statusCode()).isEqualTo(200);
    }

    static void assertProblem(String contentType, String body, int status) throws Exception {
        assertThat(contentType).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
