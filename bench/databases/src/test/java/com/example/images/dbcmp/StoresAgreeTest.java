package com.example.images.dbcmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness on a small catalog, so that it cannot rot: every store loads the seed's
 * catalog and returns the generator's galleries (the harness fails the run otherwise), the same
 * writes leave every store with the same galleries in the same order, and the safe concurrent
 * appends lose nothing. Measures nothing: the durations are too short to mean anything.
 */
class StoresAgreeTest {

    private static final List<String> STORES = List.of("relational", "document", "cassandra");

    @Test
    void every_store_returns_the_same_galleries_in_the_same_order_after_the_same_writes(@TempDir Path dir) throws Exception {
        var options = new Harness.Options(10_000, 42, STORES, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Harness.Clients.parse(Harness.Clients.DEFAULT), 30, 300, "128MB", "1g", 64, dir.resolve("work"));

        var results = new Harness(options).run("StoresAgreeTest", partial -> { });

        assertThat(results.stores).extracting(s -> s.store).containsExactlyElementsOf(STORES);
        var relational = results.stores.get(0);
        assertThat(relational.afterWrites).hasSizeGreaterThan(2);
        for (var store : results.stores) {
            assertThat(store.verified).as(store.store).isGreaterThan(250);
            assertThat(store.afterWrites).as(store.store).containsExactlyEntriesOf(relational.afterWrites);
            assertThat(store.consistency.get(0).lost()).as(store.store + ": lost updates of the safe append").isZero();
            assertThat(store.consistency.get(0).present()).isEqualTo(store.consistency.get(0).before() + 40);
            assertThat(store.reads).hasSize(8).allSatisfy(r -> assertThat(r.reads()).isPositive());
            assertThat(store.diskBytes).isPositive();
        }
        Report.plots(results, dir.resolve("docs"), "test");
        assertThat(Files.readString(dir.resolve("docs/databases-latency.svg"))).contains("<polyline");
        assertThat(Files.readString(dir.resolve("docs/databases-throughput.svg"))).contains("<rect")
                .contains("over 8 connections");
        assertThat(Report.markdown(results)).contains("| cassandra |").contains("| relational | 64 over 8 connections |");
    }

    @Test
    void zipf_ids_stay_in_range_and_favour_few_products() {
        var zipf = new Zipf(10_000);
        var random = new java.util.SplittableRandom(1);
        int[] hits = new int[10_001];
        for (int i = 0; i < 100_000; i++) {
            long id = zipf.id(random);
            assertThat(id).isBetween(1L, 10_000L);
            hits[(int) id]++;
        }
        // Rank 1 of 10,000 at exponent 1 is 1/H(10,000) ≈ 10% of the draws.
        assertThat(java.util.Arrays.stream(hits).max().orElse(0)).isBetween(9_000, 11_500);
    }
}
