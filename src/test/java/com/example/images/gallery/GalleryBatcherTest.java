package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.db.ConnectionGate;
import com.example.images.support.Fixtures;
import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class GalleryBatcherTest {

    private final GalleryRepository repository = new GalleryRepository(TestDatabase.shared().dataSource());

    @Test
    void requests_that_wait_together_are_read_in_one_query_with_the_bytes_of_a_read_one_by_one() throws Exception {
        var fixtures = Fixtures.shared();
        var ids = new ArrayList<Long>();
        for (int images : new int[] {3, 0, 7, 1, 12}) {
            ids.add(fixtures.product("batched " + images, images).id());
        }
        ids.add(ids.get(2)); // the same product twice in one batch
        ids.add(Long.MAX_VALUE); // no such product
        try (var gate = new ConnectionGate(TestDatabase.shared().dataSource(), 1, 100, Duration.ofSeconds(30));
             var batcher = new GalleryBatcher(repository, gate, 1, 100);
             ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = new ArrayList<Future<Optional<GalleryJson>>>();
            try (Connection held = gate.getConnection()) {
                for (long id : ids) {
                    answers.add(requests.submit(() -> Futures.await(batcher.read(id))));
                }
                // The reader holds one request and waits for the connection; the rest queue.
                await(() -> gate.queued() == 1 && batcher.queued() == ids.size() - 1);
            }

            for (int i = 0; i < ids.size(); i++) {
                Optional<GalleryJson> expected = oneByOne(ids.get(i));
                Optional<GalleryJson> actual = answers.get(i).get();
                assertThat(actual.isPresent()).as("product %d", ids.get(i)).isEqualTo(expected.isPresent());
                if (expected.isPresent()) {
                    assertThat(actual.get().body()).isEqualTo(expected.get().body());
                    assertThat(actual.get().etag()).isEqualTo(expected.get().etag());
                }
            }
            assertThat(answers.getLast().get()).isEmpty();
            assertThat(batcher.batches()).isEqualTo(1);
            assertThat(batcher.products()).isEqualTo(ids.size());
        }
    }

    @Test
    void when_no_connection_comes_every_request_waiting_gets_the_503_reason_at_once_and_the_reader_goes_on()
            throws Exception {
        long id = Fixtures.shared().product("after the failure", 2).id();
        try (var gate = new ConnectionGate(TestDatabase.shared().dataSource(), 1, 100, Duration.ofSeconds(1));
             var batcher = new GalleryBatcher(repository, gate, 1, 100);
             ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = new ArrayList<Future<Optional<GalleryJson>>>();
            try (Connection held = gate.getConnection()) {
                for (int i = 0; i < 3; i++) {
                    answers.add(requests.submit(() -> Futures.await(batcher.read(id))));
                }
                await(() -> gate.queued() == 1 && batcher.queued() == 2);
                for (Future<Optional<GalleryJson>> answer : answers) {
                    assertThatThrownBy(answer::get)
                            .isInstanceOf(ExecutionException.class)
                            .cause().isInstanceOf(SQLTransientConnectionException.class)
                            .hasMessageContaining("stayed busy");
                }
                // One wait for a connection answered all three; one by one, each waited its own.
                assertThat(gate.rejected()).isEqualTo(1);
            }

            assertThat(Futures.await(batcher.read(id))).map(GalleryJson::body).contains(oneByOne(id).orElseThrow().body());
        }
    }

    @Test
    void past_the_queue_bound_a_request_is_turned_away_at_once_and_closing_answers_those_still_waiting()
            throws Exception {
        long id = Fixtures.shared().product("queued", 1).id();
        int bound = 4;
        try (var gate = new ConnectionGate(TestDatabase.shared().dataSource(), 1, 100, Duration.ofSeconds(30));
             ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
             Connection held = gate.getConnection()) {
            var batcher = new GalleryBatcher(repository, gate, 1, bound);
            List<Future<Optional<GalleryJson>>> answers = new ArrayList<>();
            answers.add(requests.submit(() -> Futures.await(batcher.read(id))));
            await(() -> gate.queued() == 1);
            for (int i = 0; i < bound; i++) {
                answers.add(requests.submit(() -> Futures.await(batcher.read(id))));
            }
            await(() -> batcher.queued() == bound);

            assertThatThrownBy(() -> Futures.await(batcher.read(id)))
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("overloaded");

            batcher.close();
            for (Future<Optional<GalleryJson>> answer : answers) {
                assertThatThrownBy(answer::get)
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(SQLTransientConnectionException.class);
            }
            assertThatThrownBy(() -> Futures.await(batcher.read(id)))
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("stopping");
        }
    }

    private Optional<GalleryJson> oneByOne(long id) throws SQLException {
        try (Connection connection = TestDatabase.shared().dataSource().getConnection()) {
            return repository.find(connection, id);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not so after 10 s");
            }
            Thread.sleep(5);
        }
    }
}
