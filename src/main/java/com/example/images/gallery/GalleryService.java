package com.example.images.gallery;

import com.example.images.http.ErrorMapping;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Galleries for the read path: from the cache while the change listener is current, read
 * through to PostgreSQL otherwise, and the last cached copy when the database is unavailable
 * (stale-if-error), which is what keeps galleries served through a database outage.
 */
public final class GalleryService {

    /** A gallery and whether it is a stale copy served because the database is unavailable. */
    public record Result(GalleryJson gallery, boolean stale) {
    }

    private final GalleryBatcher reads;
    private final GalleryCache cache;
    private final GalleryChangeListener listener;

    public GalleryService(GalleryBatcher reads, GalleryCache cache, GalleryChangeListener listener) {
        this.reads = reads;
        this.cache = cache;
        this.listener = listener;
    }

    /**
     * The product's gallery; with {@code gzip}, one that carries its gzipped bytes, made on the
     * first such request and kept in the cache for the next ones.
     */
    public Optional<Result> find(long productId, boolean gzip) throws SQLException {
        return Futures.await(read(productId, gzip));
    }

    /**
     * {@link #find} without waiting: the future completes on the thread that read the database
     * (or at once, for a cached gallery), and fails with the {@link SQLException} that a
     * request should be answered with.
     */
    public CompletableFuture<Optional<Result>> read(long productId, boolean gzip) {
        CompletableFuture<Optional<GalleryJson>> gallery = !cache.enabled() ? reads.read(productId)
                : listener.current() ? cache.load(productId, reads::read)
                : cache.reload(productId, reads::read);
        return gallery.handle((found, failure) -> {
            if (failure == null) {
                return found.map(g -> encoded(new Result(g, false), gzip));
            }
            return staleOr(productId, Futures.sqlOrThrow(failure)).map(r -> encoded(r, gzip));
        });
    }

    /**
     * The product's gallery if the cache can answer for it now; never waits for the database, so
     * it may run on one of Jetty's selector threads.
     */
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
        if (ErrorMapping.isUnavailable(failure)) {
            Optional<GalleryJson> stale = cache.peek(productId);
            if (stale.isPresent()) {
                return stale.map(g -> new Result(g, true));
            }
        }
        throw new CompletionException(failure);
    }
}
