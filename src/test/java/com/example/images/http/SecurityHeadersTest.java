package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Headers every answer carries, whichever layer gives it. */
class SecurityHeadersTest {

    private final Http http = TestApp.http();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void every_answer_says_nosniff() {
        long id = fixtures.product("Nosniff", 1).id();
        http.get("/api/products/" + id + "/images");
        String[] paths = {
            "/api/products/" + id + "/images",      // the fast path, a cache hit after the read above
            "/api/products/" + fixtures.unknownProductId() + "/images",
            "/api/products/" + id, "/api/products/x", "/nothing", "/", "/products/" + id, "/assets/gallery.js",
            "/health/live", "/metrics", "/openapi.json", "/docs",
        };
        for (String path : paths) {
            assertThat(http.get(path).headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }
        assertThat(http.send("DELETE", "/health/live", null).headers().firstValue("X-Content-Type-Options"))
                .as("a 405").hasValue("nosniff");
        assertThat(http.raw("GET", "/%zz").headers()).as("a target Jetty refuses").containsEntry("x-content-type-options", "nosniff");
        assertThat(Http.RawResponse.parse(http.exchange("GET /health/live HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(40_000)
                + "\r\nConnection: close\r\n\r\n")).headers()).as("a header too large").containsEntry("x-content-type-options", "nosniff");
    }


    @Test
    void html_pages_allow_only_this_services_scripts_and_styles_and_keep_referrers_short() {
        long id = fixtures.product("Policy", 1).id();
        for (String path : new String[]{"/", "/products/" + id, "/products/" + fixtures.unknownProductId(), "/docs"}) {
            var response = http.get(path, "Accept", "text/html");
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy).as(path).contains("script-src 'self'", "style-src 'self'", "object-src 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).hasValue("strict-origin-when-cross-origin");
            assertThat(response.body()).as(path).doesNotContain("<style").doesNotContainPattern("<script(?![^>]*\\ssrc=)");
        }
        assertThat(http.get("/nothing", "Accept", "text/html").headers().firstValue("Content-Security-Policy"))
                .as("an error page for a browser").isPresent();
    }
}
