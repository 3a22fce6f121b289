package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import com.example.images.support.TestApp;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The method of a request is the one on its request line: no header or query parameter turns
 * a read into a write (the fast path answers plain gallery GETs itself, so the ids here are
 * percent-encoded to reach the routes, as the probe's were).
 */
class MethodOverrideTest {

    private final Fixtures fixtures = Fixtures.shared();
    private final Api api = Api.shared();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "HEAD"})
    void a_read_with_an_override_header_stays_a_read(String method) {
        var product = fixtures.product("Override " + method, 2);

        var response = api.write(method, "/api/products/" + encoded(product.id()), null,
                "X-HTTP-Method-Override", "DELETE");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(api.get("/api/products/" + product.id()).statusCode()).as("the product is still there").isEqualTo(200);
    }

    @Test
    void a_gallery_get_with_an_override_header_adds_no_image() {
        var product = fixtures.product("Override POST", 1);

        var response = api.write("GET", "/api/products/" + encoded(product.id()) + "/images",
                "{\"url\": \"https://cdn.example.com/override.jpg\"}", "X-HTTP-Method-Override", "POST");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Api.imageIds(Api.json(api.get("/api/products/" + product.id())))).isEqualTo(product.imageIds());
    }

    @Test
    void a_method_query_parameter_changes_nothing_either() {
        var product = fixtures.product("Override query", 1);

        assertThat(api.write("GET", "/api/products/" + encoded(product.id()) + "?_method=DELETE", null).statusCode())
                .isEqualTo(200);
        assertThat(api.get("/api/products/" + product.id()).statusCode()).isEqualTo(200);
    }

    /** The id with every digit percent-encoded: {@code 51} is {@code %35%31}. */
    private static String encoded(long id) {
        return String.valueOf(id).chars().mapToObj(c -> "%" + Integer.toHexString(c).toUpperCase()).collect(Collectors.joining());
    }
}
