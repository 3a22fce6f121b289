package com.example.images.auth;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merchant's product view is public, and checks a bearer token whenever one is sent. */
class ProductViewAuthTest {

    private static final String CHALLENGE = "Bearer realm=\"images\"";
    private static final String INVALID_TOKEN = CHALLENGE + ", error=\"invalid_token\"";

    private final Http http = TestApp.http();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void without_authorization_the_view_is_public_and_a_good_token_gets_the_same_answer() {
        var product = fixtures.product("Viewed", 2);

        var anonymous = http.get(path(product));
        var authenticated = http.get(path(product), "Authorization", "Bearer " + TestApp.TOKEN);

        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(authenticated.statusCode()).isEqualTo(200);
        assertThat(authenticated.body()).isEqualTo(anonymous.body());
        assertThat(authenticated.headers().firstValue("ETag")).isEqualTo(anonymous.headers().firstValue("ETag"));
    }

    @Test
    void a_wrong_token_is_401_invalid_token() {
        var product = fixtures.product("Wrong token", 1);

        var response = http.get(path(product), "Authorization", "Bearer " + TestApp.TOKEN + "x");

        assertUnauthorized(response, INVALID_TOKEN);
        assertThat(json(response).get("detail").asText()).doesNotContain(TestApp.TOKEN);
    }

    @Test
    void a_malformed_token_is_401_invalid_token() {
        var product = fixtures.product("Malformed token", 1);

        assertUnauthorized(http.get(path(product), "Authorization", "Bearer not a token!"), INVALID_TOKEN);
    }

    @Test
    void another_scheme_is_401_with_the_bare_challenge() {
        var product = fixtures.product("Basic", 1);

        var response = http.get(path(product), "Authorization", "Basic dXNlcjpwYXNz");

        assertUnauthorized(response, CHALLENGE);
        assertThat(json(response).get("detail").asText()).contains("Bearer <token>", "public");
    }

    @Test
    void two_authorization_headers_are_400_even_when_one_is_good() {
        var product = fixtures.product("Two headers", 1);

        var response = http.get(path(product), "Authorization", "Bearer " + TestApp.TOKEN,
                "Authorization", "Bearer " + TestApp.TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("detail").asText()).contains("2 Authorization headers");
    }

    @Test
    void the_token_is_checked_before_the_product_is_looked_up() {
        var unknown = http.get("/api/products/" + fixtures.unknownProductId(),
                "Authorization", "Bearer " + TestApp.TOKEN + "x");
        var known = http.get("/api/products/" + fixtures.unknownProductId(),
                "Authorization", "Bearer " + TestApp.TOKEN);

        assertUnauthorized(unknown, INVALID_TOKEN);
        assertThat(known.statusCode()).isEqualTo(404);
    }

    @Test
    void head_checks_a_sent_token_as_get_does() {
        var product = fixtures.product("Head", 1);

        var wrong = http.send("HEAD", path(product), null, "Authorization", "Bearer " + TestApp.TOKEN + "x");
        var good = http.send("HEAD", path(product), null, "Authorization", "Bearer " + TestApp.TOKEN);

        assertThat(List.of(wrong.statusCode(), good.statusCode())).containsExactly(401, 200);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue(INVALID_TOKEN);
    }

    @Test
    void the_public_gallery_and_image_reads_ignore_authorization() {
        var product = fixtures.product("Gallery", 1);
        String wrong = "Bearer " + TestApp.TOKEN + "x";

        var gallery = http.get(path(product) + "/images", "Authorization", wrong);
        var image = http.get(path(product) + "/images/" + product.imageIds().get(0), "Authorization", wrong);

        assertThat(List.of(gallery.statusCode(), image.statusCode())).containsExactly(200, 200);
    }

    private static String path(Fixtures.CreatedProduct product) {
        return "/api/products/" + product.id();
    }

    private static void assertUnauthorized(HttpResponse<String> response, String challenge) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(challenge);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }
}
