package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConnectionGateTest {

    @Test
    void past_the_queue_bound_a_borrower_is_turned_away_at_once_and_the_queue_still_drains() throws Exception {
        int bound = 16;
        try (var gate = new ConnectionGate(TestDatabase.shared().dataSource(), 1, bound, Duration.ofSeconds(30))) {
            Connection held = gate.getConnection();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var waiters = new ArrayList<Future<Boolean>>();
                var started = new CountDownLatch(bound);
                for (int i = 0; i < bound; i++) {
                    waiters.add(executor.submit(() -> {
                        started.countDown();
                        try (Connection c = gate.getConnection()) {
                            return c.isValid(1);
                        }
                    }));
                }
                started.await();
                while (gate.queued() < bound) {
                    Thread.sleep(5);
                }

                long t0 = System.nanoTime();
                assertThatThrownBy(gate::getConnection)
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("overloaded");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

                held.close();
                for (Future<Boolean> waiter : waiters) {
                    assertThat(waiter.get()).isTrue();
                }
            }
            assertThat(gate.rejected()).isEqualTo(1);
        }
    }

    @Test
    void a_reserved_connection_is_handed_out_while_every_other_one_is_held_and_not_the_other_way_round() throws Exception {
        // The request pool's gate and the gallery readers' own, as the service sizes them from a pool of 3 with one reader.
        try (var gate = new ConnectionGate(TestDatabase.shared().dataSource(), 2, 16, Duration.ofMillis(200));
             var readers = new ConnectionGate("database connections of the gallery readers", TestDatabase.shared().dataSource(),
                     1, 16, Duration.ofMillis(200));
             Connection first = gate.getConnection();
             Connection second = gate.getConnection()) {
            assertThatThrownBy(gate::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("all 2 database connections stayed busy");

            try (Connection reserved = readers.getConnection()) {
                assertThat(reserved.isValid(1)).isTrue();
                assertThatThrownBy(readers::getConnection)
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("all 1 database connections of the gallery readers stayed busy");
            }
            first.close();
            try (Connection again = gate.getConnection()) {
                assertThat(again.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void a_reserve_must_leave_at_least_one_connection_to_the_others() {
        assertThatThrownBy(() -> Database.pools(TestDatabase.shared().url(), 2, 2, Duration.ofSeconds(1), "reserve-test", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connections reserved for the gallery readers must be 1 to 1, got 2");
    }

    @Test
    void a_borrower_waits_until_its_timeout_and_then_gets_a_503_reason_without_a_lingering_interrupt() throws Exception {
        try (var gate = new ConnectionGate(TestDatabase.shared().dataSource(), 1, 16, Duration.ofMillis(300));
             Connection held = gate.getConnection();
             var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> waiter = executor.submit(() -> {
                long t0 = System.nanoTime();
                try (Connection c = gate.getConnection()) {
                    return "got one";
                } catch (SQLTransientConnectionException e) {
                    long waited = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                    return e.getMessage() + "|" + waited + "|" + Thread.currentThread().isInterrupted();
                }
            });
            String[] outcome = waiter.get().split("\\|");

            assertThat(outcome[0]).contains("stayed busy for 300 ms");
            assertThat(Long.parseLong(outcome[1])).isBetween(300L, 1_300L);
            assertThat(outcome[2]).as("interrupted afterwards").isEqualTo("false");
            assertThat(held.isValid(1)).isTrue();
        }
    }

    @Test
    void an_interrupted_borrower_stops_waiting_and_keeps_its_interrupt() throws Exception {
        try (var gate = new ConnectionGate(TestDatabase.shared().dataSource(), 1, 16, Duration.ofSeconds(30));
             Connection held = gate.getConnection()) {
            var failure = new AtomicReference<String>();
            Thread borrower = Thread.ofVirtual().start(() -> {
                try (Connection c = gate.getConnection()) {
                    failure.set("got one");
                } catch (SQLTransientConnectionException e) {
                    failure.set(e.getMessage() + "|" + Thread.currentThread().isInterrupted());
                } catch (Exception e) {
                    failure.set(e.toString());
                }
            });
            while (gate.queued() < 1) {
                Thread.sleep(5);
            }
            borrower.interrupt();
            borrower.join(5_000);

            assertThat(failure.get()).isEqualTo("interrupted while waiting for a database connection|true");
            assertThat(gate.rejected()).isZero();
        }
    }

    @Test
    void under_contention_every_borrower_gets_a_usable_connection_or_a_timeout_and_no_permit_is_lost() throws Exception {
        int size = 2;
        try (var gate = new ConnectionGate(TestDatabase.shared().dataSource(), size, 1_000, Duration.ofMillis(20));
             var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var outcomes = new ArrayList<Future<String>>();
            for (int i = 0; i < 400; i++) {
                outcomes.add(executor.submit(() -> {
                    try (Connection c = gate.getConnection()) {
                        // An interrupt left behind would close the socket: the query would fail.
                        boolean usable = !Thread.currentThread().isInterrupted() && c.isValid(1);
                        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                        return usable ? "served" : "unusable";
                    } catch (SQLTransientConnectionException e) {
                        return Thread.currentThread().isInterrupted() ? "interrupted" : "timed out";
                    }
                }));
            }
            var counts = new TreeMap<String, Integer>();
            for (Future<String> outcome : outcomes) {
                counts.merge(outcome.get(), 1, Integer::sum);
            }

            assertThat(counts.keySet()).as(counts.toString()).isSubsetOf("served", "timed out");
            assertThat(counts.get("served")).isPositive();
            assertThat(counts.getOrDefault("timed out", 0)).isEqualTo((int) gate.rejected());
            var all = new ArrayList<Connection>();
            for (int i = 0; i < size; i++) {
                all.add(gate.getConnection());
            }
            for (Connection c : all) {
                c.close();
            }
        }
    }
}
