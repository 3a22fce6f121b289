package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * What an upload can leave behind, on one service's database and file store: image rows, jobs,
 * {@code media_blobs} rows and stored files. A rejected upload must leave none of them.
 */
final class Leftovers {

    /** Opens a connection to the service's database. */
    interface Database {
        Connection connect() throws SQLException;
    }

    private final Database database;
    private final Path mediaRoot;

    Leftovers(Database database, Path mediaRoot) {
        this.database = database;
        this.mediaRoot = mediaRoot;
    }

    /**
     * After a rejected upload of {@code body} to the product that had {@code imagesBefore}
     * images: still that many, none uploaded, no job, and no blob of those bytes, neither a
     * {@code media_blobs} row nor a file, under whatever extension.
     */
    void assertNothingLeftBehind(long productId, int imagesBefore, byte[] body) throws SQLException {
        String sha = sha256(body);
        try (Connection c = database.connect()) {
            assertThat(count(c, "SELECT count(*) FROM images WHERE product_id = ?", productId))
                    .as("images of product %d", productId).isEqualTo(imagesBefore);
            assertThat(count(c, "SELECT count(*) FROM images WHERE product_id = ? AND original_key IS NOT NULL", productId))
                    .as("uploaded images of product %d", productId).isZero();
            assertThat(count(c, "SELECT count(*) FROM media_jobs WHERE product_id = ?", productId))
                    .as("jobs of product %d", productId).isZero();
            try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM media_blobs WHERE key LIKE ?")) {
                st.setString(1, sha + ".%");
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("media_blobs rows of %s", sha).isZero();
                }
            }
        }
        assertThat(storedFiles(sha)).as("stored files of %s", sha).isEmpty();
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store's files holding these bytes, under any extension. */
    List<Path> storedFiles(String sha) {
        Path fan = mediaRoot.resolve(sha.substring(0, 2));
        if (!Files.isDirectory(fan)) {
            return List.of();
        }
        try (var files = Files.list(fan)) {
            return files.filter(f -> f.getFileName().toString().startsWith(sha + ".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of images the product has now. */
    int images(long productId) throws SQLException {
        try (Connection c = database.connect()) {
            return count(c, "SELECT count(*) FROM images WHERE product_id = ?", productId);
        }
    }

    /** The first column of the one row {@code sql} returns for {@code id}. */
    static int count(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
