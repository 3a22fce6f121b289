package com.example.images.product;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import com.example.images.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    private final Api api = Api.shared();
    private final Fixtures fixtures = Fixtures.shared();

    /** Which route a case goes to; each test makes a fresh product with two images. */
    enum Target { CREATE_PRODUCT, RENAME_PRODUCT, ADD_IMAGE, PATCH_IMAGE, ORDER }

    static Stream<Arguments> fieldRuleViolations() {
        String longUrl = "https://cdn.example.com/" + "a".repeat(2049 - 24);
        return Stream.of(
                Arguments.of(Target.ADD_IMAGE, "{}", "url", "is required"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"/img/1/0/500x500.svg\"}", "url", "not a relative one"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"cdn.example.com/a.jpg\"}", "url", "not a relative one"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"javascript:alert(1)\"}", "url", "must use http or https"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"JavaScript:alert(1)\"}", "url", "must use http or https"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"data:image/png;base64,iVBORw0KGgo=\"}", "url", "must use http or https"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"ftp://cdn.example.com/a.jpg\"}", "url", "must use http or https"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https:///a.jpg\"}", "url", "must name a host"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://cdn.example.com/a b.jpg\"}", "url", "malformed"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"" + longUrl + "\"}", "url", "at most 2048 characters, got 2049"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"thumbnailUrl\": \"data:,x\"}",
                        "thumbnailUrl", "must use http or https"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"thumbnailUrl\": \"/t.jpg\"}",
                        "thumbnailUrl", "relative"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"alt\": \"" + "x".repeat(513) + "\"}",
                        "alt", "at most 512 characters, got 513"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"alt\": \"two\\nlines\"}", "alt", "control characters"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"width\": 0}", "width", "between 1 and 20000"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"width\": 20001}", "width", "between 1 and 20000"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"height\": -3}", "height", "between 1 and 20000"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"width\": \"800\"}", "width", "whole number"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"width\": 1.5}", "width", "whole number"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"height\": 99999999999}", "height", ""),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": 42}", "url", "string"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"position\": -1}", "position", "0 or more"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"position\": 3}", "position", "between 0 and 2"),
                Arguments.of(Target.PATCH_IMAGE, "{}", "(body)", "at least one of"),
                Arguments.of(Target.PATCH_IMAGE, "{\"url\": null}", "url", "must not be null"),
                Arguments.of(Target.PATCH_IMAGE, "{\"alt\": null}", "alt", "must not be null"),
                Arguments.of(Target.PATCH_IMAGE, "{\"url\": \"javascript:void(0)\"}", "url", "must use http or https"),
                Arguments.of(Target.PATCH_IMAGE, "{\"position\": 2}", "position", "between 0 and 1"),
                Arguments.of(Target.PATCH_IMAGE, "{\"position\": null}", "position", "must not be null"),
                Arguments.of(Target.PATCH_IMAGE, "{\"height\": 0}", "height", "between 1 and 20000"),
                Arguments.of(Target.RENAME_PRODUCT, "{}", "name", "is required"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"\"}", "name", "must not be blank"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"   \"}", "name", "must not be blank"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"" + "n".repeat(256) + "\"}", "name", "at most 255 characters, got 256"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"nul\\u0000byte\"}", "name", "control characters"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"half \\ud83d pair\"}", "name", "lone surrogate \\ud83d"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a\\ud800.jpg\"}", "url", "lone surrogate"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"alt\": \"\\udc00 alone\"}", "alt",
                        "lone surrogate"),
                Arguments.of(Target.PATCH_IMAGE, "{\"thumbnailUrl\": \"https://a.example/t\\udfff.jpg\"}", "thumbnailUrl",
                        "lone surrogate"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": [\"a\"]}", "name", "string"),
                Arguments.of(Target.CREATE_PRODUCT, "{\"images\": []}", "name", "is required"),
                Arguments.of(Target.CREATE_PRODUCT, "{\"name\": \"ok\", \"images\": [{\"url\": \"https://a.example/0.jpg\"}, {\"url\": \"/1.jpg\"}]}",
                        "images[1].url", "relative"),
                Arguments.of(Target.CREATE_PRODUCT, "{\"name\": \"ok\", \"images\": [{\"url\": \"https://a.example/0.jpg\", \"position\": 0}]}",
                        "images[0].position", "not accepted here"),
                Arguments.of(Target.CREATE_PRODUCT, "{\"name\": \"ok\", \"images\": [null]}", "images[0]", "not null"),
                Arguments.of(Target.CREATE_PRODUCT, "{\"name\": \"ok\", \"images\": {}}", "images", "array"),
                Arguments.of(Target.CREATE_PRODUCT, "{\"name\": \"ok\", \"images\": [{\"url\": \"https://a.example/0.jpg\", \"width\": true}]}",
                        "images[0].width", "whole number"),
                Arguments.of(Target.ORDER, "{}", "imageIds", "is required"),
                Arguments.of(Target.ORDER, "{\"imageIds\": [0]}", "imageIds[0]", "positive image id"),
                Arguments.of(Target.ORDER, "{\"imageIds\": [-7]}", "imageIds[0]", "positive image id"),
                Arguments.of(Target.ORDER, "{\"imageIds\": [1, null]}", "imageIds[1]", "not null"),
                Arguments.of(Target.ORDER, "{\"imageIds\": [\"1\"]}", "imageIds[0]", "64-bit id"),
                Arguments.of(Target.ORDER, "{\"imageIds\": [99999999999999999999]}", "imageIds[0]", ""),
                Arguments.of(Target.ORDER, "{\"imageIds\": 5}", "imageIds", "array"),
                // Hosts every shopper's browser would be sent to, credentials, ports, invisible text (black-box probe).
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://user:pass@a.example/x.jpg\"}", "url", "user name or password"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example:99999/x.jpg\"}", "url", "port between 1 and 65535, got 99999"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://127.0.0.1:5432/\"}", "url", "must not point at an address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://[::1]/a.jpg\"}", "url", "must not point at an address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://[::ffff:127.0.0.1]/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://[fe80::1]/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://[fd12:3456::1]/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://[::]/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://10.1.2.3/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://172.16.0.1/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://192.168.1.1/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://169.254.169.254/latest\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://0.0.0.0/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://2130706433/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://0x7f.1/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://\uff11\uff12\uff17.0.0.1/a.jpg\"}", "url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://1.2.3.999/a.jpg\"}", "url", "malformed IPv4 address"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://localhost:8080/a.jpg\"}", "url", "a name only this network resolves"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"http://images.localhost./a.jpg\"}", "url", "a name only this network resolves"),
                Arguments.of(Target.PATCH_IMAGE, "{\"thumbnailUrl\": \"http://127.0.0.1/t.jpg\"}", "thumbnailUrl", "address of this network"),
                Arguments.of(Target.CREATE_PRODUCT, "{\"name\": \"ok\", \"images\": [{\"url\": \"http://[::1]/a.jpg\"}]}",
                        "images[0].url", "address of this network"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/\u202egpj.exe\"}", "url", "bidirectional control"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"Shirt \u202eevil\"}", "name", "bidirectional control"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"a\u2066b\"}", "name", "bidirectional control"),
                Arguments.of(Target.PATCH_IMAGE, "{\"alt\": \"x\u200fy\"}", "alt", "bidirectional control"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"\u200b\u200c\u200d\u2060\ufeff\"}", "name", "visible character"),
                Arguments.of(Target.RENAME_PRODUCT, "{\"name\": \"\u3164\u00ad\"}", "name", "visible character"),
                Arguments.of(Target.PATCH_IMAGE, "{\"alt\": \"   \"}", "alt", "only spaces or invisible"),
                Arguments.of(Target.ADD_IMAGE, "{\"url\": \"https://a.example/a.jpg\", \"alt\": \"\u200b \"}", "alt",
                        "only spaces or invisible"));
    }

    @ParameterizedTest(name = "{0} {1} → 422 on {2}")
    @MethodSource("fieldRuleViolations")
    void a_broken_field_rule_is_422_naming_the_field_and_why(Target target, String body, String field, String reason) {
        var product = fixtures.product("Validated", 2);

        var response = send(target, product, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertProblem(response, 422);
        JsonNode problem = json(response);
        assertThat(problem.get("field").asText()).isEqualTo(field);
        assertThat(problem.get("errors")).anySatisfy(error -> {
            assertThat(error.get("field").asText()).isEqualTo(field);
            assertThat(error.get("reason").asText()).contains(reason);
        });
        assertThat(problem.get("detail").asText()).contains(field);
        assertThat(api.get("/api/products/" + product.id() + "/images").body()).contains("\"name\":\"Validated\"");
    }

    @Test
    void every_bad_field_is_listed_at_once() {
        var product = fixtures.product("Many Faults", 1);

        var response = api.write("POST", "/api/products/" + product.id() + "/images",
                "{\"url\": \"/relative.jpg\", \"alt\": \"" + "a".repeat(600) + "\", \"width\": 0, \"height\": 30000}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).get("errors")).extracting(e -> e.get("field").asText())
                .containsExactly("url", "alt", "width", "height");
    }

    @Test
    void the_limits_themselves_are_accepted() {
        var product = fixtures.product("Limits", 0);
        String url = "https://cdn.example.com/" + "u".repeat(2048 - 24);

        var response = api.write("POST", "/api/products/" + product.id() + "/images",
                "{\"url\": \"" + url + "\", \"alt\": \"" + "é".repeat(512) + "\", \"width\": 20000, \"height\": 1, \"position\": 0}");
        var renamed = api.write("PATCH", "/api/products/" + product.id(), "{\"name\": \"" + "ü".repeat(255) + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).get("url").asText()).hasSize(2048);
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("{", "not well-formed JSON"),
                Arguments.of("{\"name\": }", "not well-formed JSON"),
                Arguments.of("{\"name\": \"a\"} {\"name\": \"b\"}", "not well-formed JSON"),
                Arguments.of("{\"name\": \"a\", \"name\": \"b\"}", "Duplicate field"),
                Arguments.of("[]", "must be a JSON object"),
                Arguments.of("null", "must be a JSON object"),
                Arguments.of("\"name\"", "must be a JSON object"),
                Arguments.of("", "empty"),
                Arguments.of("{'name': 'single quotes'}", "not well-formed JSON"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedBodies")
    void malformed_json_is_400(String body, String detail) {
        var product = fixtures.product("Malformed", 0);

        var response = api.write("PATCH", "/api/products/" + product.id(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, 400);
        assertThat(json(response).get("detail").asText()).contains(detail);
    }

    @Test
    void an_unknown_field_is_400_naming_it() {
        var product = fixtures.product("Typo", 1);

        var top = api.write("PATCH", "/api/products/" + product.id(), "{\"nmae\": \"Typo fixed\"}");
        var nested = api.write("POST", "/api/products",
                "{\"name\": \"n\", \"images\": [{\"url\": \"https://a.example/a.jpg\", \"caption\": \"x\"}]}");
        var image = api.write("PATCH", "/api/products/" + product.id() + "/images/" + product.imageIds().get(0), "{\"id\": 5}");

        assertThat(top.statusCode()).isEqualTo(400);
        assertThat(json(top).get("field").asText()).isEqualTo("nmae");
        assertThat(json(top).get("detail").asText()).contains("nmae", "name");
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(json(nested).get("field").asText()).isEqualTo("images[0].caption");
        assertThat(image.statusCode()).isEqualTo(400);
        assertThat(json(image).get("field").asText()).isEqualTo("id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml",
            "application/json; charset=iso-8859-1", "application/jsonx", "multipart/form-data; boundary=x"})
    void a_wrong_content_type_is_415(String contentType) {
        var product = fixtures.product("Typed", 0);

        var response = api.http().send("PATCH", "/api/products/" + product.id(), "{\"name\": \"x\"}",
                "Authorization", "Bearer " + TestApp.TOKEN, "Content-Type", contentType);

        assertThat(response.statusCode()).isEqualTo(415);
        assertProblem(response, 415);
    }

    @Test
    void a_missing_content_type_is_415() {
        var product = fixtures.product("Untyped", 0);

        var response = api.http().send("POST", "/api/products/" + product.id() + "/images", "{\"url\": \"https://a.example/a.jpg\"}",
                "Authorization", "Bearer " + TestApp.TOKEN);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response).get("detail").asText()).contains("application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""})
    void json_content_types_are_accepted(String contentType) {
        var product = fixtures.product("Typed OK", 0);

        var response = api.http().send("PATCH", "/api/products/" + product.id(), "{\"name\": \"x\"}",
                "Authorization", "Bearer " + TestApp.TOKEN, "Content-Type", contentType);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void a_body_of_exactly_64_kilobytes_is_accepted_and_one_byte_more_is_413() {
        var product = fixtures.product("Heavy", 0);
        String path = "/api/products/" + product.id();

        var atLimit = api.write("PATCH", path, padded("{\"name\": \"fits\"}", 64 * 1024));
        var over = api.write("PATCH", path, padded("{\"name\": \"too big\"}", 64 * 1024 + 1));

        assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(200);
        assertThat(over.statusCode()).isEqualTo(413);
        assertProblem(over, 413);
        assertThat(json(api.get(path)).get("name").asText()).isEqualTo("fits");
    }

    @Test
    void a_chunked_body_over_64_kilobytes_without_content_length_is_413() throws Exception {
        var product = fixtures.product("Chunky", 0);
        byte[] body = padded("{\"name\": \"chunked\"}", 200 * 1024).getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create(api.http().base() + "/api/products/" + product.id()))
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .header("Authorization", "Bearer " + TestApp.TOKEN)
                .header("Content-Type", "application/json")
                .build();

        HttpResponse<String> response;
        try (var client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(request.bodyPublisher().orElseThrow().contentLength()).isNegative();
        assertThat(response.statusCode()).isEqualTo(413);
        assertProblem(response, 413);
        assertThat(json(api.get("/api/products/" + product.id())).get("name").asText()).isEqualTo("Chunky");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "1.5", "9223372036854775808"})
    void a_malformed_id_in_a_write_path_is_400_naming_the_parameter(String id) {
        var product = fixtures.product("Paths", 1);

        var badProduct = api.write("PATCH", "/api/products/" + id, "{\"name\": \"x\"}");
        var badImage = api.write("DELETE", "/api/products/" + product.id() + "/images/" + id, null);

        assertThat(badProduct.statusCode()).isEqualTo(400);
        assertThat(json(badProduct).get("parameter").asText()).isEqualTo("id");
        assertThat(badImage.statusCode()).isEqualTo(400);
        assertThat(json(badImage).get("parameter").asText()).isEqualTo("imageId");
    }

    private HttpResponse<String> send(Target target, Fixtures.CreatedProduct product, String body) {
        String base = "/api/products/" + product.id();
        return switch (target) {
            case CREATE_PRODUCT -> api.write("POST", "/api/products", body);
            case RENAME_PRODUCT -> api.write("PATCH", base, body);
            case ADD_IMAGE -> api.write("POST", base + "/images", body);
            case PATCH_IMAGE -> api.write("PATCH", base + "/images/" + product.imageIds().get(0), body);
            case ORDER -> api.write("PUT", base + "/images/order", body);
        };
    }

    /** {@code json} followed by spaces up to exactly {@code bytes} bytes: still the same JSON. */
    private static String padded(String json, int bytes) {
        return json + " ".repeat(bytes - json.getBytes(StandardCharsets.UTF_8).length);
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("com.example");
        assertThat(List.of(response.body())).noneMatch(b -> b.contains("jackson"));
    }
}
