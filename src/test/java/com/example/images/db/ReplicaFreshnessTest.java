package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicaFreshnessTest {

    private final ReplicaFreshness freshness = ReplicaFreshness.of(TestDatabase.shared().dataSource(), Duration.ofMillis(50));

    @Test
    void a_primary_shows_every_position_up_to_its_own_and_a_later_one_only_after_the_bounded_wait() throws Exception {
        long now = freshness.primaryPosition();
        try (Connection connection = TestDatabase.shared().dataSource().getConnection()) {
            assertThat(freshness.reached(connection, now)).isTrue();

            long start = System.nanoTime();
            boolean reached = freshness.reached(connection, now + (1L << 40));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(reached).isFalse();
            assertThat(waitedMillis).isGreaterThanOrEqualTo(ReplicaFreshness.WAIT.toMillis());
        }
    }

    @Test
    void a_read_must_see_the_highest_of_its_products_last_change_and_the_clients_position() {
        freshness.changed(7, 1_000);
        freshness.changed(7, 900);
        freshness.changed(8, 400);

        assertThat(freshness.required(new long[] {7, 8}, 500)).isEqualTo(1_000);
        assertThat(freshness.required(new long[] {8}, 500)).isEqualTo(500);
        assertThat(freshness.required(new long[] {9}, 0)).isZero();
    }

    @Test
    void a_replica_must_have_replayed_what_the_primary_had_written_max_lag_ago() throws Exception {
        freshness.primaryAt(5_000);
        assertThat(freshness.required(new long[] {9}, 0)).as("no sample is max lag old yet").isZero();

        Thread.sleep(60);
        freshness.primaryAt(6_000);

        assertThat(freshness.required(new long[] {9}, 0)).isEqualTo(5_000);
        freshness.forgetSamples();
        assertThat(freshness.required(new long[] {9}, 0)).isZero();
    }

    @Test
    void without_replicas_nothing_is_required_or_recorded() throws Exception {
        var none = ReplicaFreshness.none();
        none.changed(7, 1_000);
        none.primaryAt(5_000);

        assertThat(none.required(new long[] {7}, 300)).isZero();
        assertThat(none.afterWrite(7)).isEmpty();
    }
}
