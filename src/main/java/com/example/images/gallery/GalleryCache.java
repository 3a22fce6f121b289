package com.example.images.gallery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Serialised galleries in memory, bounded by weight in bytes. A write anywhere in the fleet
 * reaches {@link #invalidate} (directly on the writing instance, through LISTEN/NOTIFY on the
 * others); the TTL only catches what both of those might miss.
 */
public final class GalleryCache {

    /** Doorkeeper slots per byte of cache: four per ~1 KB gallery, so ids are remembered for a while. */
    private static final int BYTES_PER_SLOT = 256;

    private final Cache<Long, GalleryJson> cache;
    private final boolean enabled;
    private final AtomicLong generation = new AtomicLong();
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

    /**
     * The cached gallery, or the loader's answer, cached. Caffeine runs one load per key at a
     * time, and an invalidation that arrives during a load waits for it and then removes the
     * result, so a load that read the database before a write cannot outlive the write's
     * invalidation.
     */
    public Optional<GalleryJson> get(long productId, LongFunction<Optional<GalleryJson>> loader) {
        if (!enabled) {
            return loader.apply(productId);
        }
        if (full && !doorkeeper.admits(productId)) {
            // Once the cache has evicted for room, a gallery enters only on its second miss.
            GalleryJson cached = cache.getIfPresent(productId);
            if (cached != null) {
                return Optional.of(cached);
            }
            refused.increment();
            return loader.apply(productId);
        }
        return guarded(productId, () -> cache.get(productId, id -> loader.apply(id).orElse(null)));
    }

    /**
     * The loader's answer, replacing whatever is cached, under the same per-key exclusion as
     * {@link #get}: for reading through while the cache cannot be trusted, while still
     * keeping a copy to serve if the database goes away.
     */
    public Optional<GalleryJson> reload(long productId, LongFunction<Optional<GalleryJson>> loader) {
        if (!enabled) {
            return loader.apply(productId);
        }
        return guarded(productId, () -> cache.asMap().compute(productId, (id, old) -> loader.apply(id).orElse(null)));
    }

    private Optional<GalleryJson> guarded(long productId, Supplier<GalleryJson> load) {
        long before = generation.get();
        GalleryJson gallery = load.get();
        if (generation.get() != before) {
            // A clear happened meanwhile, and clears do not wait for loads in flight.
            cache.invalidate(productId);
        }
        return Optional.ofNullable(gallery);
    }

    /**
     * The cached gallery, counted as a hit; empty, and not counted, when it is not cached, so that
     * the {@link #get} that follows counts the one miss.
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
}
