package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConnectionGateTest {

    @Test
    void past_the_queue_bound_a_borrower_is_turned_away_at_once_and_the_queue_still_drains() throws Exception {
        int bound = 16;
        var gate = new ConnectionGate(TestDatabase.shared().dataSource(), 1, bound, Duration.ofSeconds(30));
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
