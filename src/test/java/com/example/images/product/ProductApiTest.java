package com.example.images.product;

import static com.example.images.support.Api.etag;
import static com.example.images.support.Api.imageIds;
import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import com.example.images.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProductApiTest {

    private final Api api = Api.shared();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void creating_a_product_with_images_answers_201_with_location_etag_and_the_product() {
        var response = api.write("POST", "/api/products", """
                {"name": "Ergonomic Granite Lamp", "images": [
                  {"url": "https://cdn.example.com/lamp/0.jpg", "thumbnailUrl": "https://cdn.example.com/lamp/0-t.jpg",
                   "alt": "Front", "width": 1200, "height": 900},
                  {"url": "http://cdn.example.com/lamp/1.jpg"}
                ]}""");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = json(response);
        long id = body.get("productId").asLong();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/products/" + id);
        assertThat(etag(response)).isEqualTo("\"" + id + "-1\"");
        assertThat(body.get("name").asText()).isEqualTo("Ergonomic Granite Lamp");
        JsonNode images = body.get("images");
        assertThat(images).hasSize(2);
        assertThat(images.get(0).get("position").asInt()).isZero();
        assertThat(images.get(0).get("thumbnailUrl").asText()).isEqualTo("https://cdn.example.com/lamp/0-t.jpg");
        assertThat(images.get(0).get("width").asInt()).isEqualTo(1200);
        assertThat(images.get(1).get("position").asInt()).isEqualTo(1);
        assertThat(images.get(1).get("thumbnailUrl").asText()).as("thumbnailUrl defaults to url")
                .isEqualTo("http://cdn.example.com/lamp/1.jpg");
        assertThat(images.get(1).get("alt").asText()).isEmpty();
        assertThat(images.get(1).get("width").isNull()).isTrue();
        assertThat(images.get(1).get("status").asText()).isEqualTo("ready");
        assertThat(api.get("/api/products/" + id).body()).as("the write answers the merchant's view").isEqualTo(response.body());
    }

    @Test
    void creating_a_product_without_images_gives_an_empty_gallery() {
        var response = api.write("POST", "/api/products", "{\"name\": \"Bare Oak Shelf\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(json(response).get("images")).isEmpty();
    }

    @Test
    void get_product_is_the_gallery_with_each_images_status_under_the_same_etag_and_304s_to_it() {
        long id = api.createProduct("Small Wool Hat", 3).get("productId").asLong();

        var product = api.get("/api/products/" + id);
        var gallery = api.get("/api/products/" + id + "/images");

        assertThat(product.statusCode()).isEqualTo(200);
        assertThat(product.body()).isEqualTo(gallery.body().replace("\"height\":600}", "\"height\":600,\"status\":\"ready\"}"));
        assertThat(etag(product)).isEqualTo(etag(gallery));
        assertThat(api.get("/api/products/" + id, "If-None-Match", etag(product)).statusCode()).isEqualTo(304);
        assertThat(api.get("/api/products/" + id + "/images", "If-None-Match", etag(product)).statusCode()).isEqualTo(304);
    }

    @Test
    void renaming_answers_200_with_the_new_name_and_a_new_etag() {
        var created = api.write("POST", "/api/products", "{\"name\": \"Old Name\"}");
        long id = json(created).get("productId").asLong();

        var renamed = api.write("PATCH", "/api/products/" + id, "{\"name\": \"New Name\"}");

        assertThat(renamed.statusCode()).isEqualTo(200);
        assertThat(json(renamed).get("name").asText()).isEqualTo("New Name");
        assertThat(etag(renamed)).isNotEqualTo(etag(created)).isEqualTo(etag(api.get("/api/products/" + id)));
        assertThat(json(api.get("/api/products/" + id)).get("name").asText()).isEqualTo("New Name");
    }

    @Test
    void deleting_a_product_answers_204_and_removes_its_images() throws Exception {
        long id = api.createProduct("Doomed Desk", 4).get("productId").asLong();

        var deleted = api.write("DELETE", "/api/products/" + id, null);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(api.get("/api/products/" + id).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/products/" + id + "/images").statusCode()).isEqualTo(404);
        assertThat(imageRows(id)).isZero();
        assertThat(api.write("DELETE", "/api/products/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void adding_without_a_position_appends_and_answers_201_with_location() {
        var product = fixtures.product("Gorgeous Paper Car", 2);

        var added = api.write("POST", "/api/products/" + product.id() + "/images",
                "{\"url\": \"https://cdn.example.com/new.jpg\", \"alt\": \"Side\", \"width\": 640, \"height\": 480}");

        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode image = json(added);
        long imageId = image.get("id").asLong();
        assertThat(added.headers().firstValue("Location")).hasValue("/api/products/" + product.id() + "/images/" + imageId);
        assertThat(image.get("productId").asLong()).isEqualTo(product.id());
        assertThat(image.get("position").asInt()).isEqualTo(2);
        assertThat(image.get("thumbnailUrl").asText()).isEqualTo("https://cdn.example.com/new.jpg");
        assertThat(etag(added)).isEqualTo(etag(api.get("/api/products/" + product.id())));
        var expected = new ArrayList<>(product.imageIds());
        expected.add(imageId);
        assertThat(galleryIds(product.id())).isEqualTo(expected);
    }

    @Test
    void adding_at_a_position_inserts_there_and_shifts_the_rest() {
        var product = fixtures.product("Shifty Chair", 3);

        var added = api.write("POST", "/api/products/" + product.id() + "/images",
                "{\"url\": \"https://cdn.example.com/first.jpg\", \"position\": 0}");

        assertThat(added.statusCode()).isEqualTo(201);
        long imageId = json(added).get("id").asLong();
        var expected = new ArrayList<>(product.imageIds());
        expected.addFirst(imageId);
        assertThat(galleryIds(product.id())).isEqualTo(expected);
        assertPositionsAreDense(product.id());
    }

    @Test
    void getting_one_image_answers_it_with_the_product_etag_and_304() {
        var product = fixtures.product("Single Shot Camera", 2);
        long imageId = product.imageIds().get(1);

        var image = api.get("/api/products/" + product.id() + "/images/" + imageId);

        assertThat(image.statusCode()).isEqualTo(200);
        JsonNode body = json(image);
        assertThat(body.get("id").asLong()).isEqualTo(imageId);
        assertThat(body.get("position").asInt()).isEqualTo(1);
        assertThat(body.get("alt").asText()).isEqualTo("Single Shot Camera #1");
        assertThat(etag(image)).isEqualTo(etag(api.get("/api/products/" + product.id())));
        assertThat(api.get("/api/products/" + product.id() + "/images/" + imageId, "If-None-Match", etag(image))
                .statusCode()).isEqualTo(304);
    }

    @Test
    void patching_an_image_changes_only_the_fields_sent() {
        var product = fixtures.product("Patchy Rug", 2);
        long imageId = product.imageIds().get(0);

        var patched = api.write("PATCH", "/api/products/" + product.id() + "/images/" + imageId,
                "{\"alt\": \"A better description\", \"height\": null}");

        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode image = json(patched);
        assertThat(image.get("alt").asText()).isEqualTo("A better description");
        assertThat(image.get("height").isNull()).as("null makes a size unknown").isTrue();
        assertThat(image.get("width").asInt()).isEqualTo(1200);
        assertThat(image.get("url").asText()).isEqualTo("https://cdn.example.com/" + product.id() + "/0.jpg");
        assertThat(json(api.get("/api/products/" + product.id())).get("images").get(0).get("alt").asText())
                .isEqualTo("A better description");
    }

    @Test
    void patching_a_position_moves_the_image_both_ways() {
        var product = fixtures.product("Mover Box", 5);
        List<Long> ids = product.imageIds();

        var down = api.write("PATCH", "/api/products/" + product.id() + "/images/" + ids.get(0), "{\"position\": 3}");
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(json(down).get("position").asInt()).isEqualTo(3);
        assertThat(galleryIds(product.id())).containsExactly(ids.get(1), ids.get(2), ids.get(3), ids.get(0), ids.get(4));

        var up = api.write("PATCH", "/api/products/" + product.id() + "/images/" + ids.get(4), "{\"position\": 0}");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(galleryIds(product.id())).containsExactly(ids.get(4), ids.get(1), ids.get(2), ids.get(3), ids.get(0));
        assertPositionsAreDense(product.id());
    }

    @Test
    void deleting_an_image_closes_the_gap() {
        var product = fixtures.product("Gappy Fence", 4);
        long victim = product.imageIds().get(1);

        var deleted = api.write("DELETE", "/api/products/" + product.id() + "/images/" + victim, null);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(etag(deleted)).isEqualTo(etag(api.get("/api/products/" + product.id())));
        var expected = new ArrayList<>(product.imageIds());
        expected.remove(victim);
        assertThat(galleryIds(product.id())).isEqualTo(expected);
        assertPositionsAreDense(product.id());
        assertThat(api.get("/api/products/" + product.id() + "/images/" + victim).statusCode()).isEqualTo(404);
    }

    @Test
    void putting_an_order_sets_the_whole_order() {
        var product = fixtures.product("Ordered Set", 6);
        var order = new ArrayList<>(product.imageIds());
        Collections.reverse(order);

        var response = api.write("PUT", "/api/products/" + product.id() + "/images/order", "{\"imageIds\": " + order + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(imageIds(json(response))).isEqualTo(order);
        assertThat(galleryIds(product.id())).isEqualTo(order);
        assertPositionsAreDense(product.id());
    }

    @Test
    void an_order_that_is_not_exactly_the_products_images_is_422_naming_missing_unknown_and_repeated() {
        var product = fixtures.product("Strict Order", 3);
        var other = fixtures.product("Other Order", 1);
        List<Long> ids = product.imageIds();

        var response = api.write("PUT", "/api/products/" + product.id() + "/images/order",
                "{\"imageIds\": [" + ids.get(0) + ", " + ids.get(0) + ", " + other.imageIds().get(0) + "]}");

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode problem = json(response);
        assertThat(problem.get("field").asText()).isEqualTo("imageIds");
        assertThat(problem.get("missing")).extracting(JsonNode::asLong).containsExactly(ids.get(1), ids.get(2));
        assertThat(problem.get("unknown")).extracting(JsonNode::asLong).containsExactly(other.imageIds().get(0));
        assertThat(problem.get("duplicated")).extracting(JsonNode::asLong).containsExactly(ids.get(0));
        assertThat(problem.get("detail").asText()).contains("missing", "not images of product", "repeats");
        assertThat(galleryIds(product.id())).isEqualTo(ids);
    }

    @Test
    void unknown_product_is_404_on_every_write() {
        long id = fixtures.unknownProductId();
        var image = "{\"url\": \"https://cdn.example.com/x.jpg\"}";

        assertThat(api.write("PATCH", "/api/products/" + id, "{\"name\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(api.write("DELETE", "/api/products/" + id, null).statusCode()).isEqualTo(404);
        assertThat(api.write("POST", "/api/products/" + id + "/images", image).statusCode()).isEqualTo(404);
        assertThat(api.write("PUT", "/api/products/" + id + "/images/order", "{\"imageIds\": []}").statusCode()).isEqualTo(404);
        assertThat(api.write("PATCH", "/api/products/" + id + "/images/1", "{\"alt\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(api.write("DELETE", "/api/products/" + id + "/images/1", null).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/products/" + id + "/images/1").statusCode()).isEqualTo(404);
    }

    @Test
    void an_image_of_another_product_is_404_and_left_alone() {
        var mine = fixtures.product("Mine", 1);
        var theirs = fixtures.product("Theirs", 1);
        long theirImage = theirs.imageIds().get(0);
        String path = "/api/products/" + mine.id() + "/images/" + theirImage;

        var get = api.get(path);
        var patch = api.write("PATCH", path, "{\"alt\": \"stolen\"}");
        var delete = api.write("DELETE", path, null);

        assertThat(List.of(get.statusCode(), patch.statusCode(), delete.statusCode())).containsOnly(404);
        assertThat(json(delete).get("detail").asText()).contains("has no image with id " + theirImage);
        assertThat(galleryIds(theirs.id())).containsExactly(theirImage);
        assertThat(json(api.get("/api/products/" + theirs.id())).get("images").get(0).get("alt").asText()).isEqualTo("Theirs #0");
    }

    @Test
    void the_251st_image_is_409_and_the_gallery_keeps_250() {
        var product = fixtures.product("Full Album", ProductWrites.MAX_IMAGES);

        var response = api.write("POST", "/api/products/" + product.id() + "/images", "{\"url\": \"https://cdn.example.com/one-more.jpg\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("detail").asText()).contains("250");
        assertThat(galleryIds(product.id())).hasSize(ProductWrites.MAX_IMAGES);
    }

    @Test
    void a_product_can_be_created_with_250_images_but_not_251() {
        var ok = api.write("POST", "/api/products", productWithImages(250));
        var tooMany = api.write("POST", "/api/products", productWithImages(251));

        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(json(ok).get("images")).hasSize(250);
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(json(tooMany).get("field").asText()).isEqualTo("images");
    }

    @Test
    void a_stale_if_match_is_412_with_the_current_etag_and_changes_nothing() {
        var product = fixtures.product("Contested Vase", 2);
        String before = etag(api.get("/api/products/" + product.id()));
        var first = api.write("PATCH", "/api/products/" + product.id(), "{\"name\": \"Editor A\"}", "If-Match", before);

        var second = api.write("PATCH", "/api/products/" + product.id(), "{\"name\": \"Editor B\"}", "If-Match", before);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(412);
        assertThat(second.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(etag(second)).isEqualTo(etag(first));
        assertThat(json(api.get("/api/products/" + product.id())).get("name").asText()).isEqualTo("Editor A");
    }

    @Test
    void every_write_route_checks_if_match() {
        var product = fixtures.product("Guarded", 3);
        String stale = "\"" + product.id() + "-999\"";
        String base = "/api/products/" + product.id();
        long imageId = product.imageIds().get(0);

        assertThat(List.of(
                api.write("PATCH", base, "{\"name\": \"x\"}", "If-Match", stale).statusCode(),
                api.write("DELETE", base, null, "If-Match", stale).statusCode(),
                api.write("POST", base + "/images", "{\"url\": \"https://a.example/x.jpg\"}", "If-Match", stale).statusCode(),
                api.write("PUT", base + "/images/order", "{\"imageIds\": " + product.imageIds() + "}", "If-Match", stale).statusCode(),
                api.write("PATCH", base + "/images/" + imageId, "{\"alt\": \"x\"}", "If-Match", stale).statusCode(),
                api.write("DELETE", base + "/images/" + imageId, null, "If-Match", stale).statusCode()))
                .containsOnly(412);
        assertThat(galleryIds(product.id())).isEqualTo(product.imageIds());
    }

    @Test
    void a_current_if_match_a_star_or_a_list_containing_it_on_one_line_or_several_succeed_and_a_weak_one_does_not() {
        var product = fixtures.product("Matching", 1);
        String base = "/api/products/" + product.id();
        String current = etag(api.get(base));

        var exact = api.write("PATCH", base, "{\"name\": \"one\"}", "If-Match", current);
        var star = api.write("PATCH", base, "{\"name\": \"two\"}", "If-Match", "*");
        var list = api.write("PATCH", base, "{\"name\": \"three\"}", "If-Match", "\"nope\", " + etag(star));
        var lines = api.write("PATCH", base, "{\"name\": \"four\"}", "If-Match", "\"nope\"", "If-Match", etag(list));
        var weak = api.write("PATCH", base, "{\"name\": \"five\"}", "If-Match", "W/" + etag(lines));

        assertThat(exact.statusCode()).isEqualTo(200);
        assertThat(star.statusCode()).isEqualTo(200);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(lines.statusCode()).as("a list sent on two header lines").isEqualTo(200);
        assertThat(weak.statusCode()).isEqualTo(412);
    }

    @Test
    void every_change_gives_a_new_etag_and_the_old_one_no_longer_gets_304() {
        var product = fixtures.product("Etagged", 2);
        String base = "/api/products/" + product.id();
        String before = etag(api.get(base));

        api.write("PATCH", base + "/images/" + product.imageIds().get(1), "{\"alt\": \"changed\"}");

        var after = api.get(base + "/images", "If-None-Match", before);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(etag(after)).isNotEqualTo(before);
        assertThat(json(after).get("images").get(1).get("alt").asText()).isEqualTo("changed");
    }

    @Test
    void writes_are_not_cacheable() {
        var response = api.write("POST", "/api/products", "{\"name\": \"Uncacheable\"}");

        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    private static String productWithImages(int n) {
        var images = new ArrayList<String>();
        for (int i = 0; i < n; i++) {
            images.add("{\"url\":\"https://cdn.example.com/p/" + i + ".jpg\"}");
        }
        return "{\"name\":\"Big Gallery\",\"images\":[" + String.join(",", images) + "]}";
    }

    private List<Long> galleryIds(long productId) {
        HttpResponse<String> response = api.get("/api/products/" + productId + "/images");
        assertThat(response.statusCode()).isEqualTo(200);
        return imageIds(json(response));
    }

    static void assertPositionsAreDense(long productId) {
        try (Connection c = TestDatabase.shared().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT position FROM images WHERE product_id = ? ORDER BY position")) {
            st.setLong(1, productId);
            try (ResultSet rs = st.executeQuery()) {
                int expected = 0;
                while (rs.next()) {
                    assertThat(rs.getInt(1)).isEqualTo(expected++);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int imageRows(long productId) throws Exception {
        try (Connection c = TestDatabase.shared().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM images WHERE product_id = ?")) {
            st.setLong(1, productId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
