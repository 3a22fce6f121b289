package com.example.images.gallery;

import com.example.images.db.SqlStates;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Galleries for the read path: from the cache while the change listener is current, read
 * through to PostgreSQL otherwise, and the last cached copy when the database is unavailable
 * (stale-if-error), which is what keeps galleries served through a database outage.
 */
public final class GalleryService implements GalleryLookup {

    private final GalleryBatcher reads;
    private final GalleryCache cache;
    private final GalleryChangeListener listener;

    public GalleryService(GalleryBatcher reads, GalleryCache cache, GalleryChangeListener listener) {
        this.reads = reads;
        this.cache = cache;
        this.listener = listener;
    }

    /**
     * Gzipped bytes are made on the first request that accepts them and kept in the cache for the
     * next ones.
     */
    @Override
    public CompletableFuture<Optional<Result>> read(long productId, boolean gzip) {
        CompletableFuture<Optional<GalleryJson>> gallery = !cache.enabled() ? reads.read(productId)
                : listener.current() ? cache.load(productId, reads::read)
                : cache.reload(productId, reads::read);
        return completed(productId, gzip, gallery);
    }

    private CompletableFuture<Optional<Result>> completed(long productId, boolean gzip,
                                                          CompletableFuture<Optional<GalleryJson>> gallery) {
        return gallery.handle((found, failure) -> {
            if (failure == null) {
                return found.map(g -> encoded(new Result(g, false), gzip));
            }
            return staleOr(productId, Futures.sqlOrThrow(failure)).map(r -> encoded(r, gzip));
        });
    }

    /** Replaces the cached copy, if any, with what was read. */
    @Override
    public CompletableFuture<Optional<Result>> readAfter(long productId, boolean gzip, long lsn) {
        GalleryCache.Loader loader = id -> reads.read(id, lsn);
        return completed(productId, gzip, cache.enabled() ? cache.reload(productId, loader) : loader.read(productId));
    }

    /** From the cache while the change listener is current; never waits for the database. */
    @Override
    public Optional<Result> cached(long productId, boolean gzip) {
        if (!listener.current()) {
            return Optional.empty();
        }
        return cache.hit(productId).map(g -> encoded(new Result(g, false), gzip));
    }

    private Result encoded(Result result, boolean gzip) {
        return gzip ? withGzip(result) : result;
    }

    private Result withGzip(Result result) {
        GalleryJson plain = result.gallery();
        GalleryJson gzipped = plain.withGzip();
        if (gzipped != plain) {
            cache.replace(plain, gzipped);
        }
        return new Result(gzipped, result.stale());
    }

    /** Called after a write to this product commits. */
    public void changed(long productId) {
        cache.invalidate(productId);
    }

    private Optional<Result> staleOr(long productId, SQLException failure) {
        if (SqlStates.isUnavailable(failure)) {
            Optional<GalleryJson> stale = cache.peek(productId);
            if (stale.isPresent()) {
                return stale.map(g -> new Result(g, true));
            }
        }
        throw new CompletionException(failure);
    }
}
