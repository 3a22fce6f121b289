package com.example.images.product;

import static com.example.images.support.Api.etag;
import static com.example.images.support.Api.imageIds;
import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many clients writing to one product at once. Every request is answered with a 2xx or a
 * documented refusal (never a 500), and afterwards the gallery holds exactly the images whose
 * adds were acknowledged and whose deletes were not, at positions 0..n-1.
 */
class ConcurrencyTest {

    private static final int THREADS = 50;
    private static final int INITIAL_IMAGES = 10;

    private final Api api = Api.shared();
    private final Fixtures fixtures = Fixtures.shared();

    private enum Op { ADD, ADD_FIRST, REORDER, REORDER_BLIND, MOVE, DELETE_OWN, DELETE_INITIAL }

    @Test
    void fifty_threads_adding_reordering_and_deleting_keep_every_acknowledged_image_and_dense_positions() throws Exception {
        var product = fixtures.product("Crowded Gallery", INITIAL_IMAGES);
        String base = "/api/products/" + product.id();
        Set<Long> added = ConcurrentHashMap.newKeySet();
        Set<Long> deleted = ConcurrentHashMap.newKeySet();
        var statuses = new ConcurrentLinkedQueue<String>();
        long deadlocksBefore = deadlocks();
        var start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 1000 + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    client(base, product.imageIds(), new Random(seed), added, deleted, statuses);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).allSatisfy(status -> assertThat(status).matches(
                "(ADD|ADD_FIRST) (201|503)|REORDER (200|412|503)|REORDER_BLIND (200|422|503)|MOVE (200|503)|DELETE_OWN (204|503)"
                        + "|DELETE_INITIAL (204|404|503)"));
        assertThat(statuses).anyMatch(s -> s.startsWith("ADD")).anyMatch(s -> s.equals("REORDER 200"))
                .anyMatch(s -> s.equals("DELETE_OWN 204"));
        var expected = new HashSet<>(product.imageIds());
        expected.addAll(added);
        expected.removeAll(deleted);
        var gallery = json(api.get(base + "/images"));
        assertThat(new HashSet<>(imageIds(gallery))).isEqualTo(expected);
        for (int i = 0; i < gallery.get("images").size(); i++) {
            assertThat(gallery.get("images").get(i).get("position").asInt()).isEqualTo(i);
        }
        ProductApiTest.assertPositionsAreDense(product.id());
        assertThat(deadlocks()).isEqualTo(deadlocksBefore);
    }

    @Test
    void concurrent_adds_never_pass_the_cap() throws Exception {
        int room = 5;
        var product = fixtures.product("Almost Full", ProductWrites.MAX_IMAGES - room);
        String path = "/api/products/" + product.id() + "/images";
        var start = new CountDownLatch(1);
        var statuses = new ConcurrentLinkedQueue<Integer>();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < 20; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    statuses.add(api.write("POST", path, "{\"url\": \"https://cdn.example.com/race.jpg\", \"position\": 0}").statusCode());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).hasSize(20).allSatisfy(status -> assertThat(status).isIn(201, 409, 503));
        long acknowledged = statuses.stream().filter(s -> s == 201).count();
        assertThat(acknowledged).isLessThanOrEqualTo(room);
        if (!statuses.contains(503)) {
            assertThat(acknowledged).isEqualTo(room);
        }
        assertThat(imageIds(json(api.get(path)))).hasSize((int) (ProductWrites.MAX_IMAGES - room + acknowledged));
        ProductApiTest.assertPositionsAreDense(product.id());
    }

    private void client(String base, List<Long> initial, Random random, Set<Long> added, Set<Long> deleted,
                        ConcurrentLinkedQueue<String> statuses) {
        var ops = new ArrayList<>(List.of(Op.ADD, Op.ADD_FIRST, Op.ADD, Op.REORDER, Op.REORDER_BLIND, Op.MOVE,
                Op.DELETE_OWN, Op.DELETE_INITIAL));
        Collections.shuffle(ops, random);
        var mine = new ArrayList<Long>();
        for (Op op : ops) {
            int status = switch (op) {
                case ADD, ADD_FIRST -> {
                    String position = op == Op.ADD_FIRST ? ", \"position\": 0" : "";
                    var response = api.write("POST", base + "/images",
                            "{\"url\": \"https://cdn.example.com/c/" + random.nextInt(1_000_000) + ".jpg\"" + position + "}");
                    if (response.statusCode() == 201) {
                        long id = json(response).get("id").asLong();
                        added.add(id);
                        mine.add(id);
                    }
                    yield response.statusCode();
                }
                case REORDER -> {
                    // What a careful editor does: read, reorder, write with If-Match, and on 412 start over.
                    int code = 412;
                    for (int attempt = 0; attempt < 100 && code == 412; attempt++) {
                        var current = api.get(base + "/images");
                        var order = new ArrayList<>(imageIds(json(current)));
                        Collections.shuffle(order, random);
                        code = api.write("PUT", base + "/images/order", "{\"imageIds\": " + order + "}",
                                "If-Match", etag(current)).statusCode();
                    }
                    yield code;
                }
                case REORDER_BLIND -> {
                    // Without If-Match a concurrent add or delete makes the list wrong: a 422, never a mixed order.
                    var order = new ArrayList<>(imageIds(json(api.get(base + "/images"))));
                    Collections.shuffle(order, random);
                    yield api.write("PUT", base + "/images/order", "{\"imageIds\": " + order + "}").statusCode();
                }
                case MOVE -> {
                    if (mine.isEmpty()) {
                        yield 200;
                    }
                    yield api.write("PATCH", base + "/images/" + mine.getFirst(), "{\"position\": 0}").statusCode();
                }
                case DELETE_OWN -> {
                    if (mine.isEmpty()) {
                        yield 204;
                    }
                    long id = mine.removeLast();
                    int code = api.write("DELETE", base + "/images/" + id, null).statusCode();
                    if (code == 204) {
                        deleted.add(id);
                    } else {
                        mine.add(id);
                    }
                    yield code;
                }
                case DELETE_INITIAL -> {
                    long id = initial.get(random.nextInt(initial.size()));
                    int code = api.write("DELETE", base + "/images/" + id, null).statusCode();
                    if (code == 204) {
                        deleted.add(id);
                    }
                    yield code;
                }
            };
            statuses.add(op + " " + status);
        }
    }

    private static long deadlocks() throws Exception {
        try (Connection c = TestDatabase.shared().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = st.executeQuery("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
