package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Loads hold no thread and no lock while the database is read, so what a load may leave behind
 * is decided by what happened while it was in flight. Each test holds the database's answer back
 * until it has done what it tests, then completes it.
 */
class GalleryCacheLoadTest {

    private final List<CompletableFuture<Optional<GalleryJson>>> reads = new ArrayList<>();
    private final GalleryCache.Loader database = id -> {
        var read = new CompletableFuture<Optional<GalleryJson>>();
        reads.add(read);
        return read;
    };
    private final GalleryCache cache = new GalleryCache(1 << 20, Duration.ofMinutes(1));

    private static GalleryJson gallery(long id, long version) {
        return GalleryJson.of(id, ("{\"productId\":" + id + ",\"v\":" + version + "}").getBytes(StandardCharsets.UTF_8), version);
    }

    @Test
    void a_gallery_read_once_is_cached_and_not_read_again() {
        var first = cache.load(7, database);
        assertThat(first).isNotDone();

        reads.getFirst().complete(Optional.of(gallery(7, 1)));

        assertThat(first.join().map(GalleryJson::version)).contains(1L);
        assertThat(cache.peek(7).map(GalleryJson::version)).contains(1L);
        assertThat(cache.load(7, database).join().map(GalleryJson::version)).contains(1L);
        assertThat(reads).hasSize(1);
    }

    @Test
    void a_load_that_an_invalidation_overtook_is_answered_but_not_cached() {
        var before = cache.load(7, database);
        cache.invalidate(7); // a write committed while the read was in flight

        var after = cache.load(7, database);
        assertThat(reads).as("a request after the invalidation reads anew").hasSize(2);
        reads.get(0).complete(Optional.of(gallery(7, 1)));
        assertThat(before.join().map(GalleryJson::version)).contains(1L);
        assertThat(cache.peek(7)).as("the older read does not enter the cache").isEmpty();

        reads.get(1).complete(Optional.of(gallery(7, 2)));
        assertThat(after.join().map(GalleryJson::version)).contains(2L);
        assertThat(cache.peek(7).map(GalleryJson::version)).contains(2L);
    }

    @Test
    void a_load_that_a_clear_overtook_is_not_cached() {
        var before = cache.load(7, database);
        cache.invalidateAll();

        reads.getFirst().complete(Optional.of(gallery(7, 1)));

        assertThat(before.join()).isPresent();
        assertThat(cache.peek(7)).isEmpty();
    }

    @Test
    void a_failed_read_fails_its_request_and_leaves_nothing_cached() {
        var load = cache.load(7, database);
        var failure = new SQLTransientConnectionException("the database is down", "08001");

        reads.getFirst().completeExceptionally(failure);

        Throwable failed = Futures.sqlOrThrow(load.handle((g, t) -> t).join());
        assertThat(failed).isSameAs(failure);
        assertThat(cache.peek(7)).isEmpty();
        cache.load(7, database);
        assertThat(reads).as("the next request reads again").hasSize(2);
    }

    @Test
    void an_unknown_product_is_answered_empty_and_not_cached() {
        var load = cache.load(7, database);
        reads.getFirst().complete(Optional.empty());

        assertThat(load.join()).isEmpty();
        assertThat(cache.peek(7)).isEmpty();
    }

    @Test
    void a_reload_replaces_the_cached_copy_once_read_and_a_failed_one_keeps_it() {
        cache.put(gallery(7, 1));

        var failed = cache.reload(7, database);
        assertThat(cache.peek(7).map(GalleryJson::version)).as("kept while the read is in flight").contains(1L);
        reads.get(0).completeExceptionally(new SQLTransientConnectionException("down", "08001"));
        assertThat(failed).isCompletedExceptionally();
        assertThat(cache.peek(7).map(GalleryJson::version)).as("the copy to serve while the database is away").contains(1L);

        var reloaded = cache.reload(7, database);
        reads.get(1).complete(Optional.of(gallery(7, 2)));
        assertThat(reloaded.join().map(GalleryJson::version)).contains(2L);
        assertThat(cache.peek(7).map(GalleryJson::version)).contains(2L);
    }

    @Test
    void a_reload_that_an_invalidation_or_a_clear_overtook_leaves_the_cache_as_they_left_it() {
        cache.put(gallery(7, 1));
        var overtaken = cache.reload(7, database);
        cache.invalidate(7);
        reads.get(0).complete(Optional.of(gallery(7, 1)));
        assertThat(overtaken.join()).isPresent();
        assertThat(cache.peek(7)).isEmpty();

        var cleared = cache.reload(8, database);
        cache.invalidateAll();
        reads.get(1).complete(Optional.of(gallery(8, 1)));
        assertThat(cleared.join()).isPresent();
        assertThat(cache.peek(8)).isEmpty();
    }

    @Test
    void a_reload_of_a_product_that_is_gone_removes_its_copy() {
        cache.put(gallery(7, 1));
        var reload = cache.reload(7, database);
        reads.getFirst().complete(Optional.empty());

        assertThat(reload.join()).isEmpty();
        assertThat(cache.peek(7)).isEmpty();
    }
}
