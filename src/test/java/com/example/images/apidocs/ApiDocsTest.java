package com.example.images.apidocs;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Http;
import com.example.images.support.RefusedRoutes;
import com.example.images.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ApiDocsTest {

    /**
     * Routes that are deliberately not in the API document: the HTML pages, the widget's
     * static assets, the placeholder pictures, and the documentation itself.
     */
    static final Set<String> NOT_API = Set.of(
            "GET /", "GET /products/{id}", "GET /admin/products/{id}",
            "GET /assets/{hash}/{name}", "GET /assets/{name}",
            "GET /img/{product}/{position}/{size}",
            "GET /docs", "GET /docs/{file}", "GET /openapi.json");

    // The reads that check a bearer token when one is sent (ProductViewAuthTest).
    private static final Set<String> OPTIONAL_BEARER = Set.of("get /api/products/{id}");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private final Http http = TestApp.http();

    @Test
    void the_document_describes_exactly_the_registered_api_routes() {
        JsonNode doc = document();
        var documented = new TreeSet<String>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (METHODS.contains(operation.getKey())) {
                documented.add(operation.getKey().toUpperCase() + " " + path.getKey());
            }
        }));
        var registered = new TreeSet<>(TestApp.shared().endpoints());
        // Every GET answers HEAD as well; the document lists the GETs.
        var heads = registered.stream().filter(e -> e.startsWith("HEAD ")).map(e -> "GET " + e.substring(5)).toList();
        assertThat(heads).containsExactlyInAnyOrderElementsOf(registered.stream().filter(e -> e.startsWith("GET ")).toList());
        registered.removeIf(e -> e.startsWith("HEAD "));

        assertThat(registered).containsAll(NOT_API).containsAll(RefusedRoutes.ALL);
        registered.removeAll(NOT_API);
        registered.removeAll(RefusedRoutes.ALL);
        assertThat(documented).isEqualTo(registered);
    }

    @Test
    void it_is_openapi_3_1_with_a_bearer_scheme_that_every_write_requires() {
        JsonNode doc = document();

        assertThat(doc.get("openapi").asText()).startsWith("3.1.");
        assertThat(doc.at("/components/securitySchemes/bearerAuth/type").asText()).isEqualTo("http");
        assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
        forEachOperation(doc, (method, path, operation) -> {
            String name = method + " " + path;
            assertThat(operation.get("operationId")).as(name).isNotNull();
            assertThat(operation.get("responses").properties()).as(name)
                    .anyMatch(response -> response.getKey().startsWith("2"));
            if (!method.equals("get")) {
                assertThat(operation.get("security").toString()).as(name).contains("bearerAuth");
                assertThat(operation.get("responses").has("401")).as(name).isTrue();
                assertThat(operation.get("responses").has("403")).as(name).isTrue();
                assertThat(operation.get("responses").has("503")).as(name).isTrue();
            } else if (OPTIONAL_BEARER.contains(name)) {
                assertThat(operation.get("security").toString()).as(name + " is public, with a token checked if sent")
                        .isEqualTo("[{},{\"bearerAuth\":[]}]");
                assertThat(operation.get("responses").has("401")).as(name).isTrue();
                assertThat(operation.get("responses").has("403")).as(name).isTrue();
            } else {
                assertThat(operation.get("security")).as(name + " is public").isNull();
            }
            if (operation.has("requestBody")) {
                assertThat(operation.get("responses").has("400")).as(name).isTrue();
                assertThat(operation.get("responses").has("413")).as(name).isTrue();
                assertThat(operation.get("responses").has("415")).as(name).isTrue();
                assertThat(operation.get("responses").has("422")).as(name).isTrue();
            }
            Matcher parameters = Pattern.compile("\\{([^}]+)}").matcher(path);
            while (parameters.find()) {
                String parameter = parameters.group(1);
                assertThat(operation.get("parameters")).as(name + " declares " + parameter)
                        .anySatisfy(p -> assertThat(resolve(doc, p).get("name").asText()).isEqualTo(parameter));
            }
        });
    }

    @Test
    void every_error_response_is_problem_json_and_every_reference_resolves() {
        JsonNode doc = document();

        doc.at("/components/responses").properties().forEach(response -> {
            if (response.getValue().has("content")) {
                assertThat(response.getValue().get("content").has("application/problem+json")).as(response.getKey()).isTrue();
            }
        });
        var references = new ArrayList<String>();
        collectReferences(doc, references);
        assertThat(references).isNotEmpty().allSatisfy(reference ->
                assertThat(doc.at(reference.substring(1)).isMissingNode()).as(reference).isFalse());
    }

    @Test
    void docs_page_uses_only_files_served_here() {
        var page = http.get("/docs");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        Matcher references = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        var files = new ArrayList<String>();
        while (references.find()) {
            files.add(references.group(1));
        }
        assertThat(files).contains("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/docs.js")
                .allSatisfy(file -> assertThat(file).startsWith("/docs/"));
        Map<String, String> types = Map.of(".js", "text/javascript", ".css", "text/css", ".png", "image/png");
        for (String file : files) {
            var response = http.get(file);
            assertThat(response.statusCode()).as(file).isEqualTo(200);
            String extension = file.substring(file.lastIndexOf('.'));
            assertThat(response.headers().firstValue("Content-Type")).as(file)
                    .hasValueSatisfying(t -> assertThat(t).startsWith(types.get(extension)));
        }
        assertThat(http.get("/docs/docs.js").body()).contains("'/openapi.json'", "validatorUrl: null");
    }

    @Test
    void docs_serves_nothing_but_its_own_files() {
        assertThat(http.get("/docs/index.html").statusCode()).isEqualTo(404);
        assertThat(http.get("/docs/oauth2-redirect.html").statusCode()).isEqualTo(404);
        assertThat(http.raw("GET", "/docs/..%2F..%2Fopenapi.json").status()).isIn(400, 404);
        assertThat(http.raw("GET", "/docs/%2e%2e/%2e%2e/etc/passwd").status()).isIn(400, 404);
    }

    private JsonNode document() {
        var response = http.get("/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return json(response);
    }

    private interface OperationCheck {
        void check(String method, String path, JsonNode operation);
    }

    private static void forEachOperation(JsonNode doc, OperationCheck check) {
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (METHODS.contains(operation.getKey())) {
                check.check(operation.getKey(), path.getKey(), operation.getValue());
            }
        }));
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static void collectReferences(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(member -> {
                if (member.getKey().equals("$ref")) {
                    into.add(member.getValue().asText());
                } else {
                    collectReferences(member.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, into));
        }
    }
}
