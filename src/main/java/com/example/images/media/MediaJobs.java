package com.example.images.media;

import com.example.images.db.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The processing queue in PostgreSQL ({@code media_jobs}) and the image rows' way from
 * 'processing' to 'ready' or 'failed'. Any instance claims a due job with
 * {@code FOR UPDATE SKIP LOCKED} and holds it under a lease; a job whose holder died is claimed
 * again once the lease runs out. Completing or failing a job checks the caller still holds it,
 * in the transaction that changes the image, so a job is done once to visible effect.
 */
public final class MediaJobs {

    private static final String ENQUEUE = """
            INSERT INTO media_jobs (product_id, image_id) VALUES (?, ?) RETURNING id
            """;

    private static final String CLAIM = """
            WITH next AS (
                SELECT product_id, id FROM media_jobs
                WHERE run_after <= now() AND (leased_until IS NULL OR leased_until < now())
                ORDER BY run_after
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE media_jobs j
            SET leased_by = ?, leased_until = now() + make_interval(secs => ?), attempts = j.attempts + 1
            FROM next
            WHERE j.product_id = next.product_id AND j.id = next.id
            RETURNING j.product_id, j.id, j.image_id, j.attempts
            """;

    private static final String RELEASE_HELD = """
            DELETE FROM media_jobs WHERE product_id = ? AND id = ? AND leased_by = ? RETURNING image_id
            """;

    private static final String RETRY = """
            UPDATE media_jobs
            SET leased_by = NULL, leased_until = NULL, run_after = now() + make_interval(secs => ?), last_error = ?
            WHERE product_id = ? AND id = ? AND leased_by = ?
            """;

    private static final String MARK_READY = """
            UPDATE images
            SET status = 'ready', failure_reason = NULL, url = ?, thumbnail_url = ?, width = ?, height = ?,
                color = ?, placeholder = ?, renditions = ?::jsonb, updated_at = now()
            WHERE product_id = ? AND id = ? AND status = 'processing'
            """;

    private static final String MARK_FAILED = """
            UPDATE images SET status = 'failed', failure_reason = ?, updated_at = now()
            WHERE product_id = ? AND id = ? AND status = 'processing'
            """;

    // The product's version is the ETag of its gallery and product JSON; its trigger tells every instance's cache.
    private static final String BUMP_VERSION = """
            UPDATE products SET version = version + 1, updated_at = now() WHERE id = ?
            """;

    /** A claimed job: the image to process, and how many times it was claimed (this time included). */
    public record Job(long productId, long id, long imageId, int attempts) {
    }

    /**
     * What a ready image shows: its URLs (largest and smallest JPEG), intrinsic size, colour,
     * placeholder, the renditions as JSON, and the renditions' blobs it now references.
     */
    public record Ready(String url, String thumbnailUrl, int width, int height, String color, String placeholder,
                        String renditionsJson, List<BlobStore.Blob> blobs) {

        public Ready {
            blobs = List.copyOf(blobs);
        }
    }

    private final Transactions transactions;
    private final MediaBlobs blobs;

    public MediaJobs(Transactions transactions, MediaBlobs blobs) {
        this.transactions = transactions;
        this.blobs = blobs;
    }

    /** Queues processing of an image, in the caller's transaction (the one that inserts the image). */
    public long enqueue(Connection c, long productId, long imageId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(ENQUEUE)) {
            st.setLong(1, productId);
            st.setLong(2, imageId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Claims the oldest due job for {@code worker} (unique per process) for {@code lease}; empty when none is due. */
    public Optional<Job> claim(String worker, Duration lease) throws SQLException {
        return transactions.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(CLAIM)) {
                st.setString(1, worker);
                st.setDouble(2, lease.toMillis() / 1000.0);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Job(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4)))
                            : Optional.empty();
                }
            }
        });
    }

    /**
     * Makes the image ready and takes its references to the renditions' blobs, if the worker
     * still holds the job. False when it does not (its lease ran out and another instance
     * claimed the job): nothing changes. A job whose image was deleted meanwhile just ends.
     */
    public boolean complete(Job job, String worker, Ready ready) throws SQLException {
        return transactions.inTransaction(c -> {
            if (!releaseHeld(c, job, worker)) {
                return false;
            }
            int updated;
            try (PreparedStatement st = c.prepareStatement(MARK_READY)) {
                st.setString(1, ready.url());
                st.setString(2, ready.thumbnailUrl());
                st.setInt(3, ready.width());
                st.setInt(4, ready.height());
                st.setString(5, ready.color());
                st.setString(6, ready.placeholder());
                st.setString(7, ready.renditionsJson());
                st.setLong(8, job.productId());
                st.setLong(9, job.imageId());
                updated = st.executeUpdate();
            }
            if (updated == 1) {
                for (BlobStore.Blob blob : ready.blobs()) {
                    blobs.reference(c, blob);
                }
                bumpVersion(c, job.productId());
            }
            return true;
        });
    }

    /** Marks the image failed with the reason, if the worker still holds the job; false when it does not. */
    public boolean fail(Job job, String worker, String reason) throws SQLException {
        return transactions.inTransaction(c -> {
            if (!releaseHeld(c, job, worker)) {
                return false;
            }
            try (PreparedStatement st = c.prepareStatement(MARK_FAILED)) {
                st.setString(1, reason);
                st.setLong(2, job.productId());
                st.setLong(3, job.imageId());
                if (st.executeUpdate() == 1) {
                    bumpVersion(c, job.productId());
                }
            }
            return true;
        });
    }

    /** Hands the job back to run again after {@code delay} (a passing failure); false when the worker no longer holds it. */
    public boolean retryLater(Job job, String worker, String error, Duration delay) throws SQLException {
        return transactions.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(RETRY)) {
                st.setDouble(1, delay.toMillis() / 1000.0);
                st.setString(2, error);
                st.setLong(3, job.productId());
                st.setLong(4, job.id());
                st.setString(5, worker);
                return st.executeUpdate() == 1;
            }
        });
    }

    private static boolean releaseHeld(Connection c, Job job, String worker) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(RELEASE_HELD)) {
            st.setLong(1, job.productId());
            st.setLong(2, job.id());
            st.setString(3, worker);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void bumpVersion(Connection c, long productId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(BUMP_VERSION)) {
            st.setLong(1, productId);
            st.executeUpdate();
        }
    }
}
