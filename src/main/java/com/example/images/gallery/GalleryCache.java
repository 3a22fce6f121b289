package com.example.images.gallery;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Serialised galleries in memory, bounded by weight in bytes. A write anywhere in the fleet
 * reaches {@link #invalidate} (directly on the writing instance, through LISTEN/NOTIFY on the
 * others); the TTL only catches what both of those might miss.
 *
 * <p>Loads do not hold a thread: Caffeine keeps the load's future in the entry, so requests for
 * a product that is being read wait on that one read, and an invalidation (or a clear) removes
 * the future with the entry, so a load that read the database before a write never enters the
 * cache after the write's invalidation.
 */
public final class GalleryCache {

    /** Reads galleries without waiting for them. */
    @FunctionalInterface
    public interface Loader {
        CompletableFuture<Optional<GalleryJson>> read(long productId);
    }

    /** Doorkeeper slots per byte of cache: four per ~1 KB gallery, so ids are remembered for a while. */
    private static final int BYTES_PER_SLOT = 256;
    /** Counters of invalidations, by product id's hash, for {@link #reload}. */
    private static final int STRIPES = 1024;

    private final AsyncCache<Long, GalleryJson> cache;
    private final Cache<Long, GalleryJson> view;
    private final boolean enabled;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);
    private final Doorkeeper doorkeeper;
    private final LongAdder refused = new LongAdder();
    private volatile boolean full;

    public GalleryCache(long maxBytes, Duration ttl) {
        this.enabled = maxBytes > 0;
        this.doorkeeper = new Doorkeeper((int) Math.clamp(maxBytes / BYTES_PER_SLOT, 1 << 10, 1 << 22));
        this.cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((Long id, GalleryJson gallery) -> gallery.weight())
                .evictionListener((Long id, GalleryJson gallery, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        full = true;
                    }
                })
                .expireAfterWrite(ttl)
                .recordStats()
                .buildAsync();
        this.view = cache.synchronous();
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The cached gallery, or the loader's answer, cached. A load already under way for the product
     * is shared rather than repeated.
     */
    public CompletableFuture<Optional<GalleryJson>> load(long productId, Loader loader) {
        if (!enabled) {
            return loader.read(productId);
        }
        if (full && !doorkeeper.admits(productId)) {
            // Once the cache has evicted for room, a gallery enters only on its second miss.
            CompletableFuture<GalleryJson> cached = cache.getIfPresent(productId);
            if (cached != null) {
                return cached.thenApply(Optional::ofNullable);
            }
            refused.increment();
            return loader.read(productId);
        }
        return cache.get(productId, (id, executor) -> loader.read(id).thenApply(found -> found.orElse(null)))
                .thenApply(Optional::ofNullable);
    }

    /** {@link #load} for a loader that answers at once (tests, and callers that have the gallery to hand). */
    public Optional<GalleryJson> get(long productId, LongFunction<Optional<GalleryJson>> loader) {
        return load(productId, id -> CompletableFuture.completedFuture(loader.apply(id))).join();
    }

    /**
     * The loader's answer, replacing whatever is cached once it is read: for reading through
     * while the cache cannot be trusted, while still keeping a copy to serve if the database
     * goes away. A failed read leaves the cached copy in place; a read that an invalidation or a
     * clear overtook leaves the cache as the invalidation left it.
     */
    public CompletableFuture<Optional<GalleryJson>> reload(long productId, Loader loader) {
        if (!enabled) {
            return loader.read(productId);
        }
        int stripe = stripe(productId);
        long before = generation.get() + invalidations.get(stripe);
        return loader.read(productId).thenApply(found -> {
            // Checked under the entry's lock, and invalidations count before they remove. The map of
            // futures, not of values: its value view would wait for a load in flight, maybe this one.
            cache.asMap().compute(productId, (id, old) -> generation.get() + invalidations.get(stripe) != before
                    ? old : found.map(CompletableFuture::completedFuture).orElse(null));
            return found;
        });
    }

    /**
     * The cached gallery, counted as a hit; empty, and not counted, when it is not cached (or
     * still being read), so that the {@link #load} that follows counts the one miss.
     */
    public Optional<GalleryJson> hit(long productId) {
        if (!enabled || view.policy().getIfPresentQuietly(productId) == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(view.getIfPresent(productId));
    }

    /** What the cache holds, without loading or waiting for a load. */
    public Optional<GalleryJson> peek(long productId) {
        return Optional.ofNullable(view.getIfPresent(productId));
    }

    public void put(GalleryJson gallery) {
        if (enabled) {
            cache.put(gallery.productId(), CompletableFuture.completedFuture(gallery));
        }
    }

    /**
     * Puts {@code newer} in place of {@code older} only while the cache still holds that very
     * entry, so an invalidation or a clear in between wins; Caffeine weighs the entry anew.
     */
    public void replace(GalleryJson older, GalleryJson newer) {
        if (enabled) {
            cache.asMap().computeIfPresent(older.productId(), (id, current) ->
                    current.isDone() && !current.isCompletedExceptionally() && current.getNow(null) == older ? CompletableFuture.completedFuture(newer) : current);
        }
    }

    public void invalidate(long productId) {
        invalidations.incrementAndGet(stripe(productId));
        view.invalidate(productId);
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        view.invalidateAll();
        full = false;
    }

    /** Misses not cached since start, because the cache was full and the product had not missed recently. */
    public long refusedAdmissions() {
        return refused.sum();
    }

    public Cache<Long, GalleryJson> caffeine() {
        return view;
    }

    private static int stripe(long productId) {
        return (int) ((productId * 0x9E3779B97F4A7C15L) >>> 54) & (STRIPES - 1);
    }
}
