package com.example.images.media;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Image rows as the upload will write them, and plain SQL, for the queue's and the worker's tests. */
final class MediaFixtures {

    private MediaFixtures() {
    }

    /** Inserts a 'processing' image of the product with its original referenced, in the caller's transaction; its id. */
    static long insert(Connection c, MediaBlobs blobs, long product, BlobStore.Blob original) throws SQLException {
        blobs.reference(c, original);
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO images (product_id, position, url, thumbnail_url, status, original_key, original_bytes, original_type)
                SELECT ?, coalesce(max(position) + 1, 0), '', '', 'processing', ?, ?, 'image/jpeg' FROM images WHERE product_id = ?
                RETURNING id""")) {
            st.setLong(1, product);
            st.setString(2, original.key());
            st.setLong(3, original.size());
            st.setLong(4, product);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The first column of the first row. */
    static String query(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
