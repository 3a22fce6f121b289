package com.example.images.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Http;
import com.example.images.support.TestApp;
import org.junit.jupiter.api.Test;

/** Requests that Javalin routes are counted under their own route template, not the before-handlers' "*". */
class RouteLabelTest {

    private final Http http = TestApp.http();

    @Test
    void each_javalin_route_is_its_own_series() {
        assertThat(http.get("/api/products/987654321").statusCode()).isEqualTo(404);
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(http.get("/no/such/page").statusCode()).isEqualTo(404);

        String metrics = http.get("/metrics").body();

        assertThat(metrics).contains("method=\"GET\",route=\"/api/products/{id}\",status=\"404\"")
                .contains("method=\"GET\",route=\"/health/live\",status=\"200\"")
                .contains("method=\"GET\",route=\"unmatched\",status=\"404\"")
                .doesNotContain("route=\"*\"");
    }
}
