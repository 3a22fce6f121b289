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
import java.util.ArrayList;
import java.util.List;

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
    // collector removes it after the grace period unless a reference comes first.
    private static final String REGISTER = """
            INSERT INTO media_blobs (key, bytes, content_type) VALUES (?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET orphaned_at = CASE WHEN media_blobs.refs = 0 THEN now() END
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

    /** Records a blob about to be stored with no reference yet, in the caller's transaction. */
    public void register(Connection c, BlobStore.Blob blob) throws SQLException {
        upsert(c, REGISTER, blob);
    }

    /**
     * Stores the file as a blob, registered with no reference yet: the row is locked before the
     * bytes are stored and until they are, so the collector never deletes a blob mid-write. The
     * file is hashed once, for the row and the store alike.
     */
    public BlobStore.Blob store(BlobStore store, java.nio.file.Path file, ImageFormat format)
            throws IOException, SQLException {
        BlobStore.Blob blob = BlobStore.describe(file, format.extension());
        return transactions.inTransaction(c -> {
            register(c, blob);
            try {
                return store.put(blob, file, format.contentType());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void upsert(Connection c, String sql, BlobStore.Blob blob) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, blob.key());
            st.setLong(2, blob.size());
            st.setString(3, contentType(blob.key()));
            st.executeUpdate();
        }
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
