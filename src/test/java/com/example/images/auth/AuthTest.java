package com.example.images.auth;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.RefusedRoutes;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class AuthTest {

    private static final String CHALLENGE = "Bearer realm=\"images\"";

    private final Http http = TestApp.http();
    private final Fixtures fixtures = Fixtures.shared();

    /** Every write route, with a body that is valid for a fresh product with two images. */
    enum WriteRoute {
        CREATE_PRODUCT("POST", "/api/products", "{\"name\": \"Authorised\"}"),
        RENAME_PRODUCT("PATCH", "/api/products/{id}", "{\"name\": \"Renamed\"}"),
        DELETE_PRODUCT("DELETE", "/api/products/{id}", null),
        ADD_IMAGE("POST", "/api/products/{id}/images", "{\"url\": \"https://cdn.example.com/auth.jpg\"}"),
        REORDER_IMAGES("PUT", "/api/products/{id}/images/order", "{\"imageIds\": [{second}, {first}]}"),
        UPDATE_IMAGE("PATCH", "/api/products/{id}/images/{imageId}", "{\"alt\": \"authorised\"}"),
        DELETE_IMAGE("DELETE", "/api/products/{id}/images/{imageId}", null);

        final String method;
        final String template;
        final String body;

        WriteRoute(String method, String template, String body) {
            this.method = method;
            this.template = template;
            this.body = body;
        }

        String path(Fixtures.CreatedProduct product) {
            return template.replace("{id}", String.valueOf(product.id()))
                    .replace("{imageId}", String.valueOf(product.imageIds().get(0)));
        }

        String body(Fixtures.CreatedProduct product) {
            return body == null ? null : body.replace("{first}", String.valueOf(product.imageIds().get(0)))
                    .replace("{second}", String.valueOf(product.imageIds().get(1)));
        }
    }

    enum Credentials { NONE, WRONG_TOKEN, OTHER_SCHEME, RIGHT_TOKEN }

    static Stream<Arguments> matrix() {
        var cases = new ArrayList<Arguments>();
        for (WriteRoute route : WriteRoute.values()) {
            for (Credentials credentials : Credentials.values()) {
                cases.add(Arguments.of(route, credentials));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("matrix")
    void every_write_route_needs_the_right_bearer_token(WriteRoute route, Credentials credentials) {
        var product = fixtures.product("Auth matrix", 2);
        String before = http.get("/api/products/" + product.id()).body();

        var response = send(http, route, product, credentials);

        switch (credentials) {
            case NONE, OTHER_SCHEME -> {
                assertThat(response.statusCode()).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(CHALLENGE);
            }
            case WRONG_TOKEN -> {
                assertThat(response.statusCode()).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate"))
                        .hasValue(CHALLENGE + ", error=\"invalid_token\"");
            }
            case RIGHT_TOKEN -> assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        }
        if (credentials != Credentials.RIGHT_TOKEN) {
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(http.get("/api/products/" + product.id()).body()).as("nothing changed").isEqualTo(before);
        }
    }

    @Test
    void the_matrix_covers_every_registered_write_route() {
        var writeRoutes = TestApp.shared().endpoints().stream()
                .filter(endpoint -> !endpoint.startsWith("GET ") && !endpoint.startsWith("HEAD "))
                .filter(endpoint -> !RefusedRoutes.ALL.contains(endpoint))
                .sorted().toList();

        assertThat(Stream.of(WriteRoute.values()).map(r -> r.method + " " + r.template).sorted().toList())
                .isEqualTo(writeRoutes);
    }

    @Test
    void authentication_comes_before_validation() {
        var product = fixtures.product("Auth first", 1);

        var badJson = http.send("PATCH", "/api/products/" + product.id(), "{not json", "Content-Type", "application/json");
        var badType = http.send("PATCH", "/api/products/" + product.id(), "{}", "Content-Type", "text/plain");
        var badId = http.send("DELETE", "/api/products/not-an-id", null);
        var unknown = http.send("DELETE", "/api/products/" + fixtures.unknownProductId(), null,
                "Authorization", "Bearer wrong-token-0000000000");

        assertThat(List.of(badJson.statusCode(), badType.statusCode(), badId.statusCode(), unknown.statusCode()))
                .containsOnly(401);
    }

    @Test
    void reads_need_no_token() {
        var product = fixtures.product("Public", 1);

        assertThat(http.get("/api/products/" + product.id()).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/products/" + product.id() + "/images").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/products/" + product.id() + "/images/" + product.imageIds().get(0)).statusCode()).isEqualTo(200);
    }

    @Test
    void the_bearer_scheme_is_case_insensitive() {
        var response = http.send("POST", "/api/products", "{\"name\": \"Lower case scheme\"}",
                "Authorization", "bearer " + TestApp.TOKEN, "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void with_no_token_configured_writes_are_403_saying_how_to_configure_one() throws Exception {
        Settings settings = Settings.defaults(TestDatabase.tempDir("images-no-tokens"))
                .withDatabase(TestDatabase.shared().url())
                .withDemoData(false);
        var product = fixtures.product("Locked", 1);
        try (Application app = Application.start(settings)) {
            var unconfigured = new Http("http://127.0.0.1:" + app.port());

            for (WriteRoute route : WriteRoute.values()) {
                for (Credentials credentials : Credentials.values()) {
                    var response = send(unconfigured, route, fixtures.product("Locked", 2), credentials);
                    assertThat(response.statusCode()).as(route + " " + credentials).isEqualTo(403);
                    assertThat(json(response).get("detail").asText()).contains("IMAGES_API_TOKENS", "--api-tokens-file");
                }
            }
            assertThat(unconfigured.get("/api/products/" + product.id()).statusCode()).isEqualTo(200);
            var checked = unconfigured.get("/api/products/" + product.id(), "Authorization", "Bearer " + TestApp.TOKEN);
            assertThat(checked.statusCode()).as("a token sent to the product view is checked as a write's").isEqualTo(403);
            assertThat(json(checked).get("detail").asText()).contains("IMAGES_API_TOKENS");
        }
    }

    @Test
    void tokens_never_reach_the_log() {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        String wrong = "not-the-token-but-also-secret-77";
        try {
            var product = fixtures.product("Logged", 1);
            http.send("PATCH", "/api/products/" + product.id(), "{\"name\": \"logged\"}",
                    "Authorization", "Bearer " + TestApp.TOKEN, "Content-Type", "application/json");
            http.send("PATCH", "/api/products/" + product.id(), "{\"name\": \"logged\"}",
                    "Authorization", "Bearer " + wrong, "Content-Type", "application/json");
            http.send("PATCH", "/api/products/" + product.id() + "?token=" + wrong, "{",
                    "Authorization", "Bearer " + TestApp.TOKEN, "Content-Type", "application/json");
        } finally {
            root.detachAppender(appender);
        }

        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains(TestApp.TOKEN) || line.contains(wrong));
    }

    @Test
    void the_embedded_demo_prints_a_generated_token_once_and_accepts_it() throws Exception {
        var console = new ByteArrayOutputStream();
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        String printed;
        try (Application demo = Application.start(Settings.defaults(TestDatabase.tempDir("images-demo-token")),
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
            printed = console.toString(StandardCharsets.UTF_8);
            var matcher = Pattern.compile("Demo write token: (\\S+)").matcher(printed);
            assertThat(matcher.find()).as(printed).isTrue();
            String token = matcher.group(1);
            var api = new Api(new Http("http://127.0.0.1:" + demo.port()), token);

            var created = api.write("POST", "/api/products", "{\"name\": \"Made with the demo token\"}");
            var anonymous = api.http().send("POST", "/api/products", "{\"name\": \"x\"}", "Content-Type", "application/json");

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(token).hasSizeGreaterThanOrEqualTo(40);
            assertThat(printed.lines().filter(line -> line.contains(token))).hasSize(1);
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains(token));
        } finally {
            root.detachAppender(appender);
        }
    }

    private static HttpResponse<String> send(Http http, WriteRoute route, Fixtures.CreatedProduct product, Credentials credentials) {
        var headers = new ArrayList<String>();
        switch (credentials) {
            case NONE -> { }
            case WRONG_TOKEN -> headers.addAll(List.of("Authorization", "Bearer " + TestApp.TOKEN + "x"));
            case OTHER_SCHEME -> headers.addAll(List.of("Authorization", "Basic dXNlcjpwYXNz"));
            case RIGHT_TOKEN -> headers.addAll(List.of("Authorization", "Bearer " + TestApp.TOKEN));
        }
        String body = route.body(product);
        if (body != null) {
            headers.addAll(List.of("Content-Type", "application/json"));
        }
        return http.send(route.method, route.path(product), body, headers.toArray(String[]::new));
    }

    @Test
    void two_authorization_headers_are_400_whichever_comes_first() {
        var product = fixtures.product("Two credentials", 1);
        for (String[] order : List.of(new String[]{TestApp.TOKEN, "wrong-token-0123456789"},
                new String[]{"wrong-token-0123456789", TestApp.TOKEN})) {
            var response = http.send("DELETE", "/api/products/" + product.id(), null,
                    "Authorization", "Bearer " + order[0], "Authorization", "Bearer " + order[1]);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).get("detail").asText()).contains("2 Authorization headers");
        }
        assertThat(http.get("/api/products/" + product.id()).statusCode()).isEqualTo(200);
    }
}
