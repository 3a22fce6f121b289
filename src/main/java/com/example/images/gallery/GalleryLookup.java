package com.example.images.gallery;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the gallery endpoint gets galleries from: {@link GalleryService} (cache, then PostgreSQL)
 * in the service, an in-memory map in a test that runs without a database.
 */
public interface GalleryLookup {

    /** A gallery and whether it is a stale copy served because the database is unavailable. */
    record Result(GalleryJson gallery, boolean stale) {
    }

    /**
     * The product's gallery if it can be answered now, without waiting for anything: this runs
     * on the Jetty selector thread that read the request.
     */
    Optional<Result> cached(long productId, boolean gzip);

    /**
     * The product's gallery, without waiting: the future completes on the thread that read it
     * (or at once), and fails with the {@link SQLException} a request should be answered with.
     * With {@code gzip}, the gallery carries its gzipped bytes.
     */
    CompletableFuture<Optional<Result>> read(long productId, boolean gzip);

    /**
     * {@link #read}, never from a cache, and from a database node that has replayed the WAL
     * position {@code lsn} (a client's {@code X-Min-LSN}), or else from the primary.
     */
    default CompletableFuture<Optional<Result>> readAfter(long productId, boolean gzip, long lsn) {
        return read(productId, gzip);
    }

    /** {@link #read}, waiting for it. */
    default Optional<Result> find(long productId, boolean gzip) throws SQLException {
        return Futures.await(read(productId, gzip));
    }
}
