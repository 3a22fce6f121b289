package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * While the cache has room, every gallery read is kept; once it has evicted for room, a gallery
 * enters only on its second miss, so one-off reads (uniform traffic over a large catalog) pass
 * through without displacing what is cached.
 */
class CacheAdmissionTest {

    private static final byte[] BODY = "{\"images\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final int ENTRY = GalleryJson.of(1, BODY, 1).weight();

    private final AtomicInteger loads = new AtomicInteger();
    private final GalleryCache.Loader database = id -> {
        loads.incrementAndGet();
        return CompletableFuture.completedFuture(Optional.of(GalleryJson.of(id, BODY, 1)));
    };

    @Test
    void a_cache_with_room_keeps_every_gallery_it_reads() {
        var cache = new GalleryCache(100L * ENTRY, Duration.ofMinutes(1));

        LongStream.rangeClosed(1, 50).forEach(id -> cache.load(id, database).join());

        assertThat(LongStream.rangeClosed(1, 50).filter(id -> cache.peek(id).isPresent())).hasSize(50);
        assertThat(cache.refusedAdmissions()).isZero();
    }

    @Test
    void a_full_cache_is_offered_a_gallery_on_its_second_miss_and_not_before() {
        var cache = fullCache();
        // Room again, so that what is offered stays (it has evicted for room once, so admission still applies).
        LongStream.rangeClosed(1, 40).forEach(cache::invalidate);
        long refused = cache.refusedAdmissions();

        assertThat(cache.load(5_000, database).join()).isPresent();
        assertThat(cache.peek(5_000)).as("after one miss").isEmpty();
        assertThat(cache.refusedAdmissions() - refused).isEqualTo(1);

        assertThat(cache.load(5_000, database).join()).isPresent();
        assertThat(cache.peek(5_000)).as("after the second miss").isPresent();
        assertThat(cache.refusedAdmissions() - refused).isEqualTo(1);
    }

    @Test
    void one_off_reads_do_not_displace_cached_galleries() {
        var cache = fullCache();
        long evictions = cache.caffeine().stats().evictionCount();
        long refused = cache.refusedAdmissions();

        LongStream.rangeClosed(10_000, 10_500).forEach(id -> cache.load(id, database).join());
        cache.caffeine().cleanUp();

        assertThat(cache.caffeine().stats().evictionCount() - evictions).as("evictions for 501 one-off reads").isLessThan(10);
        assertThat(cache.refusedAdmissions() - refused).isGreaterThan(490);
    }

    @Test
    void a_cleared_cache_has_room_again_and_keeps_the_next_gallery_at_once() {
        var cache = fullCache();

        cache.invalidateAll();
        cache.load(7_000, database).join();

        assertThat(cache.peek(7_000)).isPresent();
    }

    @Test
    void the_doorkeeper_remembers_an_id_until_another_takes_its_slot() {
        var doorkeeper = new Doorkeeper(1_000);
        assertThat(doorkeeper.slots()).isEqualTo(1_024);

        assertThat(doorkeeper.admits(42)).isFalse();
        assertThat(doorkeeper.admits(42)).isTrue();
        assertThat(doorkeeper.admits(42)).isTrue();

        LongStream.rangeClosed(1_000_000, 1_100_000).forEach(doorkeeper::admits);
        assertThat(doorkeeper.admits(42)).as("forgotten after 100,000 other ids in 1,024 slots").isFalse();
    }

    /** A cache of 20 entries that has had to evict (ids 1 to 40 read twice each). */
    private GalleryCache fullCache() {
        var cache = new GalleryCache(20L * ENTRY, Duration.ofMinutes(1));
        for (int round = 0; round < 2; round++) {
            LongStream.rangeClosed(1, 40).forEach(id -> cache.load(id, database).join());
        }
        cache.caffeine().cleanUp();
        assertThat(cache.caffeine().stats().evictionCount()).as("evictions while filling").isPositive();
        return cache;
    }
}
