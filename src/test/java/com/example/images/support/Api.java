package com.example.images.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The write API as a client sees it: JSON requests with the shared service's bearer token. */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Http http;
    private final String token;

    public Api(Http http, String token) {
        this.http = http;
        this.token = token;
    }

    public static Api shared() {
        return new Api(TestApp.http(), TestApp.TOKEN);
    }

    public Http http() {
        return http;
    }

    /** A write with the token and Content-Type: application/json (when there is a body), plus any extra headers. */
    public HttpResponse<String> write(String method, String path, String body, String... headers) {
        var all = new ArrayList<>(List.of("Authorization", "Bearer " + token));
        if (body != null) {
            all.addAll(List.of("Content-Type", "application/json"));
        }
        all.addAll(Arrays.asList(headers));
        return http.send(method, path, body, all.toArray(String[]::new));
    }

    public HttpResponse<String> get(String path, String... headers) {
        return http.get(path, headers);
    }

    /** Creates a product through the API with {@code images} images and returns the response body. */
    public JsonNode createProduct(String name, int images) {
        var body = JSON.createObjectNode().put("name", name);
        var list = body.putArray("images");
        for (int i = 0; i < images; i++) {
            list.addObject().put("url", "https://cdn.example.com/" + name.hashCode() + "/" + i + ".jpg")
                    .put("alt", name + " #" + i).put("width", 800).put("height", 600);
        }
        var response = write("POST", "/api/products", body.toString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating a product answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }

    public static String etag(HttpResponse<String> response) {
        return response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag on " + response));
    }

    /** The image ids of a gallery body, in order. */
    public static List<Long> imageIds(JsonNode gallery) {
        var ids = new ArrayList<Long>();
        gallery.get("images").forEach(image -> ids.add(image.get("id").asLong()));
        return ids;
    }
}
