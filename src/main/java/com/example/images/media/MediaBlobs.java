package com.example.images.media;

import com.example.images.db.Transactions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The blobs' reference counts ({@code media_blobs}) and their collection. Images take
 * references (an upload to its original, a completed job to its renditions); deleting an image
 * drops them (a trigger, whatever deletes it). A blob nobody referenced for a grace period is
 * deleted from the store, then its row.
 *
 * <p>Writers call {@link #reference} or {@link #register} before they store the bytes, in the
 * transaction that commits the reference: the row lock orders them against the collector, which
 * skips locked rows (V6__media.sql says why that is safe).
 */
public final class MediaBlobs {

    private static final String REFERENCE = """
            INSERT INTO media_blobs (key, bytes, content_type, refs, orphaned_at) VALUES (?, ?, ?, 1, NULL)
            ON CONFLICT (key) DO UPDATE SET refs = media_blobs.refs + 1, orphaned_at = NULL
            """;

    // A blob stored before anything references it (a rendition until its job completes): the
    // collector removes it after the grace period unless a reference comes first. orphaned_at is
    // also this registration's stamp (see release): clock_timestamp() is read after the row lock
    // is taken, so it is later than any registration before it.
    private static final String REGISTER = """
            INSERT INTO media_blobs (key, bytes, content_type, orphaned_at) VALUES (?, ?, ?, clock_timestamp())
            ON CONFLICT (key) DO UPDATE SET orphaned_at = CASE WHEN media_blobs.refs = 0 THEN clock_timestamp() END
            RETURNING orphaned_at
            """;

    private static final String UNTOUCHED = """
            SELECT key FROM media_blobs WHERE key = ? AND refs = 0 AND orphaned_at = ? FOR UPDATE
            """;

    private static final String DELETE_ONE = """
            DELETE FROM media_blobs WHERE key = ?
            """;

    private static final String COLLECTABLE = """
            SELECT key FROM media_blobs
            WHERE refs = 0 AND orphaned_at < now() - make_interval(secs => ?)
            ORDER BY orphaned_at
            LIMIT ?
            FOR UPDATE SKIP LOCKED
            """;

    private static final String DELETE = """
            DELETE FROM media_blobs WHERE key = ANY (?)
            """;

    private static final String REFS = """
            SELECT refs FROM media_blobs WHERE key = ?
            """;

    private final Transactions transactions;

    public MediaBlobs(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Takes one reference to the blob in the caller's transaction, locking its row until commit. */
    public void reference(Connection c, BlobStore.Blob blob) throws SQLException {
        upsert(c, REFERENCE, blob);
    }

    /**
     * Records a blob about to be stored with no reference yet, in the caller's transaction.
     * Returns the registration's stamp, or empty when images reference the blob already.
     */
    public Optional<OffsetDateTime> register(Connection c, BlobStore.Blob blob) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(REGISTER)) {
            bind(st, blob);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class));
            }
        }
    }

    /**
     * A blob this writer stored: {@code stamp} is its registration's, empty when the blob was
     * referenced already (then it is never this writer's to remove).
     */
    public record Stored(BlobStore.Blob blob, Optional<OffsetDateTime> stamp) {
    }

    /**
     * Stores the file as a blob, registered with no reference yet: the row is locked before the
     * bytes are stored and until they are, so the collector never deletes a blob mid-write. The
     * file is hashed once, for the row and the store alike.
     */
    public BlobStore.Blob store(BlobStore store, java.nio.file.Path file, ImageFormat format)
            throws IOException, SQLException {
        return storeOwn(store, file, format).blob();
    }

    /** As {@link #store}, with the registration's stamp, for {@link #release}. */
    public Stored storeOwn(BlobStore store, java.nio.file.Path file, ImageFormat format) throws IOException, SQLException {
        BlobStore.Blob blob = BlobStore.describe(file, format.extension());
        return transactions.inTransaction(c -> {
            Optional<OffsetDateTime> stamp = register(c, blob);
            try {
                return new Stored(store.put(blob, file, format.contentType()), stamp);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Removes a blob this writer stored and then did not reference (its image's transaction
     * failed), at once rather than after the collector's grace period, but only if nothing
     * happened to it since: still no reference, and no other writer registered it (which
     * changes the stamp). Under the row lock, as the collector: a writer registering the same
     * bytes meanwhile either waits for this and stores them again, or has changed the stamp and
     * the blob stays. True when removed.
     */
    public boolean release(BlobStore store, Stored stored) throws SQLException {
        if (stored.stamp().isEmpty()) {
            return false;
        }
        String key = stored.blob().key();
        return transactions.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(UNTOUCHED)) {
                st.setString(1, key);
                st.setObject(2, stored.stamp().get());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            try {
                store.delete(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (PreparedStatement st = c.prepareStatement(DELETE_ONE)) {
                st.setString(1, key);
                st.executeUpdate();
            }
            return true;
        });
    }

    private static void upsert(Connection c, String sql, BlobStore.Blob blob) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, blob);
            st.executeUpdate();
        }
    }

    private static void bind(PreparedStatement st, BlobStore.Blob blob) throws SQLException {
        st.setString(1, blob.key());
        st.setLong(2, blob.size());
        st.setString(3, contentType(blob.key()));
    }

    /** The blob's reference count, or -1 when it has no row. */
    public int refs(String key) throws SQLException {
        return transactions.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(REFS)) {
                st.setString(1, key);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : -1;
                }
            }
        });
    }

    /**
     * Deletes up to {@code limit} blobs that no image has referenced for {@code grace}: the
     * bytes from the store, then the rows, in one transaction holding their row locks.
     * Returns the keys deleted.
     */
    public List<String> collect(BlobStore store, Duration grace, int limit) throws SQLException {
        return transactions.inTransaction(c -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(COLLECTABLE)) {
                st.setDouble(1, grace.toMillis() / 1000.0);
                st.setInt(2, limit);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            for (String key : keys) {
                try {
                    store.delete(key);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try (PreparedStatement st = c.prepareStatement(DELETE)) {
                Array array = c.createArrayOf("text", keys.toArray());
                st.setArray(1, array);
                st.executeUpdate();
            }
            return keys;
        });
    }

    private static String contentType(String key) {
        String extension = key.substring(key.lastIndexOf('.') + 1);
        for (ImageFormat format : ImageFormat.values()) {
            if (format.extension().equals(extension)) {
                return format.contentType();
            }
        }
        return "application/octet-stream";
    }
}
