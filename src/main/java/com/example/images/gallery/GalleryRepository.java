package com.example.images.gallery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads galleries. One prepared statement, one round trip: a primary-key lookup of the
 * product joined to one range scan of {@code images_pkey}, streamed from the ResultSet
 * straight into JSON bytes with no intermediate objects.
 */
public final class GalleryRepository {

    static final String SELECT_GALLERY = """
            SELECT p.name, p.version, i.id, i.position, i.url, i.thumbnail_url, i.alt, i.width, i.height
            FROM products p
            LEFT JOIN images i ON i.product_id = p.id
            WHERE p.id = ?
            ORDER BY i.position
            """;

    static final String SELECT_NAME = """
            SELECT name FROM products WHERE id = ?
            """;

    static final String SELECT_FIRST = """
            SELECT id, name FROM products ORDER BY id LIMIT ?
            """;

    /** A product's id and name, for listings. */
    public record ProductSummary(long id, String name) {
    }

    // Jackson's default buffer pool is per thread, and every request runs on a new virtual
    // thread: its 12 KB of fresh buffers per gallery were half of all allocation on the
    // uncached path. A shared pool reuses them; bounded, because an unbounded one kept a set of
    // buffers for every request that was ever in flight at once (68 MB of heap under overload).
    // Galleries are written while holding a pooled connection, so this many are enough.
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(32))
            .build();

    private final DataSource dataSource;

    public GalleryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<GalleryJson> find(long productId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, productId);
        }
    }

    /** The gallery as this connection sees it: inside a write's transaction, its own uncommitted state. */
    public Optional<GalleryJson> find(Connection connection, long productId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT_GALLERY)) {
            statement.setLong(1, productId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(write(productId, rs)) : Optional.empty();
            }
        }
    }

    public Optional<String> findName(long productId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_NAME)) {
            statement.setLong(1, productId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public List<ProductSummary> first(int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_FIRST)) {
            statement.setInt(1, limit);
            try (ResultSet rs = statement.executeQuery()) {
                var products = new ArrayList<ProductSummary>();
                while (rs.next()) {
                    products.add(new ProductSummary(rs.getLong(1), rs.getString(2)));
                }
                return products;
            }
        }
    }

    private static GalleryJson write(long productId, ResultSet rs) throws SQLException {
        var out = new ByteArrayOutputStream(1024);
        long version = rs.getLong(2);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeNumberField("productId", productId);
            json.writeStringField("name", rs.getString(1));
            json.writeArrayFieldStart("images");
            do {
                long imageId = rs.getLong(3);
                if (rs.wasNull()) {
                    break;
                }
                json.writeStartObject();
                json.writeNumberField("id", imageId);
                json.writeNumberField("position", rs.getInt(4));
                json.writeStringField("url", rs.getString(5));
                json.writeStringField("thumbnailUrl", rs.getString(6));
                json.writeStringField("alt", rs.getString(7));
                writeNullableInt(json, "width", rs, 8);
                writeNullableInt(json, "height", rs, 9);
                json.writeEndObject();
            } while (rs.next());
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return GalleryJson.of(productId, out.toByteArray(), version);
    }

    private static void writeNullableInt(JsonGenerator json, String field, ResultSet rs, int column)
            throws SQLException, IOException {
        int value = rs.getInt(column);
        if (rs.wasNull()) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }
}
