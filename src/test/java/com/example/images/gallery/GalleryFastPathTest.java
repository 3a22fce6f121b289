package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.Test;

/**
 * The fast path answers {@code /api/products/{id}/images}; with a trailing slash the same
 * request reaches the Javalin route. Both must answer alike, byte for byte and header for header.
 */
class GalleryFastPathTest {

    private final Http http = TestApp.http();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void jetty_may_answer_a_cache_hit_on_the_thread_that_read_the_request() {
        assertThat(TestApp.shared().requestInvocationType()).isEqualTo(InvocationType.NON_BLOCKING);
    }

    @Test
    void fast_path_and_route_send_the_same_status_headers_and_bytes() {
        var product = fixtures.product("Sleek Wooden Chair", 6);
        for (String[] headers : new String[][] {{}, {"Accept-Encoding", "gzip"}, {"Accept-Encoding", "br"}}) {
            for (String path : new String[] {"/api/products/" + product.id() + "/images", "/api/products/" + product.id()}) {
                HttpResponse<String> fast = http.get(path, headers);
                HttpResponse<String> routed = http.get(path + "/", headers);

                assertThat(fast.statusCode()).isEqualTo(200);
                assertThat(routed.statusCode()).isEqualTo(200);
                assertThat(fast.body()).isEqualTo(routed.body());
                assertThat(comparable(fast)).isEqualTo(comparable(routed));
            }
        }
    }

    @Test
    void both_answer_a_matching_if_none_match_with_the_same_304() {
        var product = fixtures.product("Sleek Wooden Chair", 3);
        String path = "/api/products/" + product.id() + "/images";
        String etag = http.get(path).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> fast = http.get(path, "If-None-Match", etag);
        HttpResponse<String> routed = http.get(path + "/", "If-None-Match", etag);

        assertThat(fast.statusCode()).isEqualTo(304);
        assertThat(routed.statusCode()).isEqualTo(304);
        assertThat(fast.body()).isEmpty();
        assertThat(comparable(fast)).isEqualTo(comparable(routed));
        assertThat(http.get(path, "If-None-Match", "\"" + product.id() + "-0\"").statusCode()).isEqualTo(200);
    }

    @Test
    void both_compare_if_none_match_weakly_over_every_listed_tag_and_header_line() {
        var product = fixtures.product("Weakly Matched Lamp", 2);
        String path = "/api/products/" + product.id() + "/images";
        String etag = http.get(path).headers().firstValue("ETag").orElseThrow();
        String stale = "\"" + product.id() + "-0\"";

        String[][] matching = {
            {"If-None-Match", "W/" + etag},
            {"If-None-Match", stale + ", " + etag},
            {"If-None-Match", "*"},
            {"If-None-Match", stale, "If-None-Match", "W/" + etag},
        };
        for (String[] headers : matching) {
            for (String sent : new String[] {path, path + "/"}) {
                assertThat(http.get(sent, headers).statusCode()).as("%s with %s", sent, String.join(" ", headers))
                        .isEqualTo(304);
            }
        }
        assertThat(http.get(path, "If-None-Match", "W/" + stale + ", \"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void unknown_products_and_what_the_fast_path_does_not_own_get_the_routes_answers() {
        long unknown = fixtures.unknownProductId();

        for (String path : new String[] {"/api/products/" + unknown + "/images", "/api/products/" + unknown}) {
            var notFound = http.get(path);
            var routed = http.get(path + "/");
            assertThat(notFound.statusCode()).isEqualTo(404);
            assertThat(notFound.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(notFound.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            // The problem names the path it answers (its "instance"), one character longer routed.
            var headers = comparable(notFound);
            var routedHeaders = comparable(routed);
            headers.remove("content-length");
            routedHeaders.remove("content-length");
            assertThat(headers).isEqualTo(routedHeaders);
            assertThat(notFound.body()).isEqualTo(routed.body().replace(path + "/", path));
        }

        assertThat(http.get("/api/products/007/images").statusCode()).isEqualTo(400);
        assertThat(http.send("DELETE", "/api/products/1/images", null).statusCode()).isIn(401, 405);
        assertThat(http.send("HEAD", "/api/products/" + fixtures.product("Small Rubber Hat", 1).id() + "/images", null)
                .statusCode()).isEqualTo(200);
    }

    /** The headers that must match: all but the date, which is the only one allowed to differ. */
    private static Map<String, Object> comparable(HttpResponse<String> response) {
        var headers = new TreeMap<String, Object>(response.headers().map());
        headers.remove("date");
        headers.put(":status", response.statusCode());
        return headers;
    }
}
