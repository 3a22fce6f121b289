package com.example.images.product;

import com.example.images.media.MediaRoutes;
import com.example.images.media.Renditions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The SQL of the write API. Apart from {@link #findImage(long, long)}, every method runs on
 * the caller's connection inside the caller's transaction, after {@link #lock} took the
 * product's row lock: that lock is what serialises all writes to one product.
 */
public final class ProductRepository {

    private static final String INSERT_PRODUCT = """
            INSERT INTO products (name) VALUES (?) RETURNING id
            """;

    private static final String LOCK_PRODUCT = """
            SELECT version FROM products WHERE id = ? FOR UPDATE
            """;

    private static final String VERSION = """
            SELECT version FROM products WHERE id = ?
            """;

    private static final String BUMP_VERSION = """
            UPDATE products SET version = version + 1, updated_at = now() WHERE id = ? RETURNING version
            """;

    private static final String RENAME = """
            UPDATE products SET name = ? WHERE id = ?
            """;

    private static final String DELETE_PRODUCT = """
            DELETE FROM products WHERE id = ?
            """;

    // Positions move within one transaction; the key is checked at commit instead of per statement.
    private static final String DEFER_KEY = """
            SET CONSTRAINTS images_pkey DEFERRED
            """;

    private static final String COUNT_IMAGES = """
            SELECT count(*) FROM images WHERE product_id = ?
            """;

    private static final String IMAGE_IDS = """
            SELECT id FROM images WHERE product_id = ? ORDER BY position
            """;

    private static final String SELECT_IMAGE = """
            SELECT id, product_id, position, url, thumbnail_url, alt, width, height, status, failure_reason,
                   renditions, placeholder, color
            FROM images WHERE product_id = ? AND id = ?
            """;

    private static final String SELECT_IMAGE_WITH_VERSION = """
            SELECT p.version, i.id, i.product_id, i.position, i.url, i.thumbnail_url, i.alt, i.width, i.height,
                   i.status, i.failure_reason, i.renditions, i.placeholder, i.color
            FROM products p
            LEFT JOIN images i ON i.product_id = p.id AND i.id = ?
            WHERE p.id = ?
            """;

    private static final String INSERT_IMAGES = """
            INSERT INTO images (product_id, position, url, thumbnail_url, alt, width, height)
            SELECT ?, t.ord - 1, t.url, t.thumbnail_url, t.alt, t.width, t.height
            FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::int[])
                 WITH ORDINALITY AS t(url, thumbnail_url, alt, width, height, ord)
            """;

    private static final String INSERT_UPLOADED = """
            INSERT INTO images (product_id, position, url, thumbnail_url, alt, status, original_key, original_bytes,
                                original_type, width, height)
            VALUES (?, ?, ?, ?, ?, 'processing', ?, ?, ?, ?, ?)
            RETURNING id
            """;

    private static final String INSERT_IMAGE = """
            INSERT INTO images (product_id, position, url, thumbnail_url, alt, width, height)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            RETURNING id
            """;

    private static final String SHIFT_UP_FROM = """
            UPDATE images SET position = position + 1, updated_at = now()
            WHERE product_id = ? AND position >= ?
            """;

    private static final String SHIFT_DOWN_AFTER = """
            UPDATE images SET position = position - 1, updated_at = now()
            WHERE product_id = ? AND position > ?
            """;

    private static final String MOVE = """
            UPDATE images SET position = CASE
                    WHEN id = ? THEN ?
                    WHEN ? < ? THEN position + 1
                    ELSE position - 1
                END, updated_at = now()
            WHERE product_id = ? AND position BETWEEN least(?, ?) AND greatest(?, ?)
            """;

    private static final String UPDATE_IMAGE = """
            UPDATE images SET url = ?, thumbnail_url = ?, alt = ?, width = ?, height = ?, updated_at = now()
            WHERE product_id = ? AND id = ?
            """;

    private static final String DELETE_IMAGE = """
            DELETE FROM images WHERE product_id = ? AND id = ? RETURNING position
            """;

    private static final String REORDER = """
            UPDATE images AS i SET position = o.ord - 1, updated_at = now()
            FROM unnest(?::bigint[]) WITH ORDINALITY AS o(id, ord)
            WHERE i.product_id = ? AND i.id = o.id AND i.position <> o.ord - 1
            """;

    /** An image and the version of its product, as one public read sees them. */
    record ImageAtVersion(long version, Optional<Image> image) {
    }

    private final DataSource dataSource;

    public ProductRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Empty when there is no such product; an empty image when the product has no such image. */
    Optional<ImageAtVersion> findImage(long productId, long imageId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(SELECT_IMAGE_WITH_VERSION)) {
            st.setLong(1, imageId);
            st.setLong(2, productId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long version = rs.getLong(1);
                rs.getLong(2);
                return Optional.of(new ImageAtVersion(version, rs.wasNull() ? Optional.empty() : Optional.of(image(rs, 2))));
            }
        }
    }

    long insertProduct(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(INSERT_PRODUCT)) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Takes the product's row lock and returns its version, or empty when there is no such product. */
    OptionalLong lock(Connection c, long productId) throws SQLException {
        return version(c, LOCK_PRODUCT, productId);
    }

    /** The product's version without a lock, or empty when there is no such product. */
    OptionalLong version(Connection c, long productId) throws SQLException {
        return version(c, VERSION, productId);
    }

    private static OptionalLong version(Connection c, String sql, long productId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, productId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    long bumpVersion(Connection c, long productId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(BUMP_VERSION)) {
            st.setLong(1, productId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void rename(Connection c, long productId, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(RENAME)) {
            st.setString(1, name);
            st.setLong(2, productId);
            st.executeUpdate();
        }
    }

    void deleteProduct(Connection c, long productId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(DELETE_PRODUCT)) {
            st.setLong(1, productId);
            st.executeUpdate();
        }
    }

    void deferKey(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(DEFER_KEY);
        }
    }

    int countImages(Connection c, long productId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(COUNT_IMAGES)) {
            st.setLong(1, productId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    List<Long> imageIds(Connection c, long productId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(IMAGE_IDS)) {
            st.setLong(1, productId);
            try (ResultSet rs = st.executeQuery()) {
                var ids = new ArrayList<Long>();
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
                return ids;
            }
        }
    }

    Optional<Image> image(Connection c, long productId, long imageId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SELECT_IMAGE)) {
            st.setLong(1, productId);
            st.setLong(2, imageId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(image(rs, 1)) : Optional.empty();
            }
        }
    }

    /** Inserts a new product's gallery in list order, at positions 0..n-1, in one statement. */
    void insertImages(Connection c, long productId, List<NewImage> images) throws SQLException {
        int n = images.size();
        var urls = new String[n];
        var thumbnails = new String[n];
        var alts = new String[n];
        var widths = new Integer[n];
        var heights = new Integer[n];
        for (int i = 0; i < n; i++) {
            NewImage image = images.get(i);
            urls[i] = image.url();
            thumbnails[i] = thumbnailOf(image);
            alts[i] = altOf(image);
            widths[i] = image.width();
            heights[i] = image.height();
        }
        try (PreparedStatement st = c.prepareStatement(INSERT_IMAGES)) {
            st.setLong(1, productId);
            st.setArray(2, array(c, "text", urls));
            st.setArray(3, array(c, "text", thumbnails));
            st.setArray(4, array(c, "text", alts));
            st.setArray(5, array(c, "int4", widths));
            st.setArray(6, array(c, "int4", heights));
            st.executeUpdate();
        }
    }

    /** Inserts one image at {@code position}, after the others were shifted out of its way. */
    long insertImage(Connection c, long productId, int position, NewImage image) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(INSERT_IMAGE)) {
            st.setLong(1, productId);
            st.setInt(2, position);
            st.setString(3, image.url());
            st.setString(4, thumbnailOf(image));
            st.setString(5, altOf(image));
            setNullableInt(st, 6, image.width());
            setNullableInt(st, 7, image.height());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Inserts an uploaded image at {@code position}, 'processing' until the worker makes its
     * renditions. Until then its url and thumbnail url are the original's {@code /media} URL
     * (both columns are NOT NULL); only the merchant's reads show it, the public gallery lists
     * ready images only. Its size is the probed one (after EXIF orientation).
     */
    long insertUploaded(Connection c, long productId, int position, String alt, String originalKey, long bytes,
                        String contentType, int width, int height) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(INSERT_UPLOADED)) {
            String url = MediaRoutes.blobUrl(originalKey);
            st.setLong(1, productId);
            st.setInt(2, position);
            st.setString(3, url);
            st.setString(4, url);
            st.setString(5, alt == null ? "" : alt);
            st.setString(6, originalKey);
            st.setLong(7, bytes);
            st.setString(8, contentType);
            st.setInt(9, width);
            st.setInt(10, height);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void shiftUpFrom(Connection c, long productId, int position) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SHIFT_UP_FROM)) {
            st.setLong(1, productId);
            st.setInt(2, position);
            st.executeUpdate();
        }
    }

    void shiftDownAfter(Connection c, long productId, int position) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SHIFT_DOWN_AFTER)) {
            st.setLong(1, productId);
            st.setInt(2, position);
            st.executeUpdate();
        }
    }

    /** Moves one image from {@code from} to {@code to}; the images in between shift by one towards {@code from}. */
    void move(Connection c, long productId, long imageId, int from, int to) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(MOVE)) {
            st.setLong(1, imageId);
            st.setInt(2, to);
            st.setInt(3, to);
            st.setInt(4, from);
            st.setLong(5, productId);
            st.setInt(6, from);
            st.setInt(7, to);
            st.setInt(8, from);
            st.setInt(9, to);
            st.executeUpdate();
        }
    }

    void updateImage(Connection c, Image image) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(UPDATE_IMAGE)) {
            st.setString(1, image.url());
            st.setString(2, image.thumbnailUrl());
            st.setString(3, image.alt());
            setNullableInt(st, 4, image.width());
            setNullableInt(st, 5, image.height());
            st.setLong(6, image.productId());
            st.setLong(7, image.id());
            st.executeUpdate();
        }
    }

    /** Deletes the image and returns the position it had, or empty when the product has no such image. */
    OptionalLong deleteImage(Connection c, long productId, long imageId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(DELETE_IMAGE)) {
            st.setLong(1, productId);
            st.setLong(2, imageId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getInt(1)) : OptionalLong.empty();
            }
        }
    }

    /** Gives each listed image the position of its index; the list must be the product's exact id set. */
    void reorder(Connection c, long productId, List<Long> imageIds) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(REORDER)) {
            st.setArray(1, array(c, "int8", imageIds.toArray(new Long[0])));
            st.setLong(2, productId);
            st.executeUpdate();
        }
    }

    static String thumbnailOf(NewImage image) {
        return image.thumbnailUrl() == null ? image.url() : image.thumbnailUrl();
    }

    static String altOf(NewImage image) {
        return image.alt() == null ? "" : image.alt();
    }

    private static Image image(ResultSet rs, int first) throws SQLException {
        return new Image(rs.getLong(first), rs.getLong(first + 1), rs.getInt(first + 2), rs.getString(first + 3),
                rs.getString(first + 4), rs.getString(first + 5), nullableInt(rs, first + 6), nullableInt(rs, first + 7),
                rs.getString(first + 8), rs.getString(first + 9), sources(rs.getString(first + 10)),
                rs.getString(first + 11), rs.getString(first + 12));
    }

    private static List<Renditions.Source> sources(String renditions) {
        return renditions == null ? null : Renditions.parse(renditions).sources();
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static void setNullableInt(PreparedStatement st, int index, Integer value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.INTEGER);
        } else {
            st.setInt(index, value);
        }
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }
}
