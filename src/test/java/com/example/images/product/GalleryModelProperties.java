package com.example.images.product;

import static com.example.images.support.Api.etag;
import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random sequences of writes against the real API, checked after every step against a plain
 * list that models the gallery: same images, same order, positions 0..n-1, same status codes.
 */
class GalleryModelProperties {

    private final Api api = Api.shared();

    /** One image as the model knows it. */
    record ModelImage(long id, String url, String alt) {
    }

    sealed interface Op permits Add, Delete, Move, Reorder, BadReorder, PatchAlt, StaleWrite {
    }

    /** Position null appends; a position past the end is a 422. */
    record Add(Integer position) implements Op {
    }

    /** Deletes the image at index mod n, or an id the product does not have. */
    record Delete(int index, boolean unknown) implements Op {
    }

    record Move(int index, int to) implements Op {
    }

    record Reorder(long seed) implements Op {
    }

    /** An order that drops one id, repeats one, or adds a foreign one. */
    record BadReorder(int kind) implements Op {
    }

    record PatchAlt(int index, String alt) implements Op {
    }

    /** Any write with an ETag from before the latest change. */
    record StaleWrite() implements Op {
    }

    @Property(tries = 25)
    void random_writes_keep_the_gallery_equal_to_the_model(
            @ForAll @IntRange(min = 0, max = 5) int initialImages,
            @ForAll("operations") List<Op> operations) {
        JsonNode created = api.createProduct("Model " + initialImages, initialImages);
        long productId = created.get("productId").asLong();
        String base = "/api/products/" + productId;
        var model = new ArrayList<ModelImage>();
        created.get("images").forEach(i -> model.add(new ModelImage(i.get("id").asLong(), i.get("url").asText(), i.get("alt").asText())));
        String staleEtag = "\"" + productId + "-0\"";
        int counter = 0;

        for (Op op : operations) {
            String etagBefore = etag(api.get(base));
            int n = model.size();
            switch (op) {
                case Add add -> {
                    String url = "https://cdn.example.com/model/" + productId + "/" + (counter++) + ".jpg";
                    String position = add.position() == null ? "" : ", \"position\": " + add.position();
                    var response = api.write("POST", base + "/images", "{\"url\": \"" + url + "\"" + position + "}");
                    if (add.position() != null && add.position() > n) {
                        assertThat(response.statusCode()).as(op.toString()).isEqualTo(422);
                    } else {
                        assertThat(response.statusCode()).as(op.toString()).isEqualTo(201);
                        int at = add.position() == null ? n : add.position();
                        model.add(at, new ModelImage(json(response).get("id").asLong(), url, ""));
                        assertThat(json(response).get("position").asInt()).isEqualTo(at);
                    }
                }
                case Delete delete -> {
                    if (delete.unknown() || n == 0) {
                        long missing = n == 0 ? 1 : model.stream().mapToLong(ModelImage::id).max().orElse(0) + 1_000_000;
                        assertThat(api.write("DELETE", base + "/images/" + missing, null).statusCode()).isEqualTo(404);
                    } else {
                        ModelImage victim = model.remove(delete.index() % n);
                        assertThat(api.write("DELETE", base + "/images/" + victim.id(), null).statusCode()).isEqualTo(204);
                    }
                }
                case Move move -> {
                    if (n == 0) {
                        continue;
                    }
                    ModelImage image = model.get(move.index() % n);
                    var response = api.write("PATCH", base + "/images/" + image.id(), "{\"position\": " + move.to() + "}");
                    if (move.to() >= n) {
                        assertThat(response.statusCode()).as(op.toString()).isEqualTo(422);
                    } else {
                        assertThat(response.statusCode()).as(op.toString()).isEqualTo(200);
                        model.remove(image);
                        model.add(move.to(), image);
                    }
                }
                case Reorder reorder -> {
                    var order = new ArrayList<>(model);
                    Collections.shuffle(order, new Random(reorder.seed()));
                    var response = api.write("PUT", base + "/images/order", "{\"imageIds\": " + ids(order) + "}",
                            "If-Match", etagBefore);
                    assertThat(response.statusCode()).as(op.toString()).isEqualTo(200);
                    model.clear();
                    model.addAll(order);
                }
                case BadReorder bad -> {
                    var ids = ids(model);
                    switch (bad.kind() % 3) {
                        case 0 -> {
                            if (ids.isEmpty()) {
                                ids.add(1L);
                            } else {
                                ids.removeLast();
                            }
                        }
                        case 1 -> ids.add(ids.isEmpty() ? 1L : ids.getFirst());
                        default -> ids.add(Long.MAX_VALUE);
                    }
                    var response = api.write("PUT", base + "/images/order", "{\"imageIds\": " + ids + "}");
                    assertThat(response.statusCode()).as(op.toString()).isEqualTo(422);
                }
                case PatchAlt patch -> {
                    if (n == 0) {
                        continue;
                    }
                    int index = patch.index() % n;
                    ModelImage image = model.get(index);
                    var response = api.write("PATCH", base + "/images/" + image.id(),
                            "{\"alt\": \"" + patch.alt() + "\"}", "If-Match", etagBefore);
                    assertThat(response.statusCode()).as(op.toString()).isEqualTo(200);
                    model.set(index, new ModelImage(image.id(), image.url(), patch.alt()));
                }
                case StaleWrite stale -> {
                    var response = api.write("POST", base + "/images", "{\"url\": \"https://cdn.example.com/stale.jpg\"}",
                            "If-Match", staleEtag);
                    assertThat(response.statusCode()).as(op.toString()).isEqualTo(412);
                }
            }
            String etagAfter = assertGalleryEquals(base, model);
            boolean changed = !etagAfter.equals(etagBefore);
            if (changed) {
                staleEtag = etagBefore;
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> add = Arbitraries.integers().between(-3, 8).map(p -> new Add(p < 0 ? null : p));
        Arbitrary<Op> delete = Arbitraries.integers().between(0, 20).flatMap(
                index -> Arbitraries.integers().between(0, 5).map(u -> new Delete(index, u == 0)));
        Arbitrary<Op> move = Arbitraries.integers().between(0, 20).flatMap(
                index -> Arbitraries.integers().between(0, 8).map(to -> new Move(index, to)));
        Arbitrary<Op> reorder = Arbitraries.longs().map(Reorder::new);
        Arbitrary<Op> bad = Arbitraries.integers().between(0, 2).map(BadReorder::new);
        Arbitrary<Op> alt = Arbitraries.integers().between(0, 20).flatMap(
                index -> Arbitraries.strings().alpha().numeric().withChars(' ', 'é', '"').ofMaxLength(20)
                        // An alt text of only spaces is a 422 (ValidationTest), not a change to model.
                        .filter(s -> s.isEmpty() || !s.isBlank())
                        .map(s -> new PatchAlt(index, s.replace("\"", "'"))));
        Arbitrary<Op> stale = Arbitraries.just(new StaleWrite());
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, add), net.jqwik.api.Tuple.of(2, delete), net.jqwik.api.Tuple.of(2, move),
                        net.jqwik.api.Tuple.of(2, reorder), net.jqwik.api.Tuple.of(1, bad), net.jqwik.api.Tuple.of(2, alt),
                        net.jqwik.api.Tuple.of(1, stale))
                .list().ofMinSize(1).ofMaxSize(15);
    }

    /** Checks the API's gallery against the model and returns its ETag. */
    private String assertGalleryEquals(String base, List<ModelImage> model) {
        var response = api.get(base + "/images");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode images = json(response).get("images");
        assertThat(images).hasSize(model.size());
        for (int i = 0; i < model.size(); i++) {
            JsonNode image = images.get(i);
            assertThat(image.get("id").asLong()).isEqualTo(model.get(i).id());
            assertThat(image.get("position").asInt()).isEqualTo(i);
            assertThat(image.get("url").asText()).isEqualTo(model.get(i).url());
            assertThat(image.get("alt").asText()).isEqualTo(model.get(i).alt());
        }
        return etag(response);
    }

    private static List<Long> ids(List<ModelImage> images) {
        var ids = new ArrayList<Long>();
        images.forEach(image -> ids.add(image.id()));
        return ids;
    }
}
