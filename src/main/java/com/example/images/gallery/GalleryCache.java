package com.example.images.gallery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serialised galleries in memory, bounded by weight in bytes. A write anywhere in the fleet
 * reaches {@link #invalidate} (directly on the writing instance, through LISTEN/NOTIFY on the
 * others); the TTL only catches what both of those might miss.
 *
 * <p>Loads do not hold a thread or a lock while the database is read. What a load read enters
 * the cache only if no invalidation of its product, and no clear, counted since the load began
 * (counters per stripe of product ids, checked under the entry's lock, and counted before they
 * remove), so a load that read the database before a write never enters the cache after the
 * write's invalidation.
 */
public final class GalleryCache {

    /** Reads galleries without waiting for them. */
    @FunctionalInterface
    public interface Loader {
        CompletableFuture<Optional<GalleryJson>> read(long productId);
    }

    /** Doorkeeper slots per byte of cache: four per ~1 KB gallery, so ids are remembered for a while. */
    private static final int BYTES_PER_SLOT = 256;
    private static final int STRIPES = 1024;

    private final Cache<Long, GalleryJson> cache;
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
                .build();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The cached gallery (counted as a hit, or else as a miss), or the loader's answer, cached. */
    public CompletableFuture<Optional<GalleryJson>> load(long productId, Loader loader) {
        if (!enabled) {
            return loader.read(productId);
        }
        GalleryJson cached = cache.getIfPresent(productId);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        if (full && !doorkeeper.admits(productId)) {
            // Once the cache has evicted for room, a gallery enters only on its second miss.
            refused.increment();
            return loader.read(productId);
        }
        return stored(productId, loader);
    }

    /**
     * The loader's answer, replacing whatever is cached once it is read: for reading through
     * while the cache cannot be trusted, while still keeping a copy to serve if the database
     * goes away. A failed read leaves the cached copy in place.
     */
    public CompletableFuture<Optional<GalleryJson>> reload(long productId, Loader loader) {
        if (!enabled) {
            return loader.read(productId);
        }
        return stored(productId, loader);
    }

    /** The loader's answer, which replaces the entry unless an invalidation or a clear overtook the read. */
    private CompletableFuture<Optional<GalleryJson>> stored(long productId, Loader loader) {
        int stripe = stripe(productId);
        long before = generation.get() + invalidations.get(stripe);
        return loader.read(productId).thenApply(found -> {
            cache.asMap().compute(productId, (id, old) ->
                    generation.get() + invalidations.get(stripe) != before ? old : found.orElse(null));
            return found;
        });
    }

    /**
     * The cached gallery, counted as a hit; empty, and not counted, when it is not cached, so
     * that the {@link #load} that follows counts the one miss.
     */
    public Optional<GalleryJson> hit(long productId) {
        if (!enabled || cache.policy().getIfPresentQuietly(productId) == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.getIfPresent(productId));
    }

    /** What the cache holds, without loading. */
    public Optional<GalleryJson> peek(long productId) {
        return Optional.ofNullable(cache.getIfPresent(productId));
    }

    public void put(GalleryJson gallery) {
        if (enabled) {
            cache.put(gallery.productId(), gallery);
        }
    }

    /**
     * Puts {@code newer} in place of {@code older} only while the cache still holds that very
     * entry, so an invalidation or a clear in between wins; Caffeine weighs the entry anew.
     */
    public void replace(GalleryJson older, GalleryJson newer) {
        if (enabled) {
            cache.asMap().replace(older.productId(), older, newer);
        }
    }

    public void invalidate(long productId) {
        invalidations.incrementAndGet(stripe(productId));
        cache.invalidate(productId);
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
        full = false;
    }

    /** Misses not cached since start, because the cache was full and the product had not missed recently. */
    public long refusedAdmissions() {
        return refused.sum();
    }

    public Cache<Long, GalleryJson> caffeine() {
        return cache;
    }

    private static int stripe(long productId) {
        return (int) ((productId * 0x9E3779B97F4A7C15L) >>> 54) & (STRIPES - 1);
    }
}
