package com.example.images.gallery;

import com.example.images.media.Renditions;
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
 * Reads galleries. One prepared statement, one round trip: primary-key lookups of the products
 * joined to range scans of {@code images_pkey}, streamed from the ResultSet straight into JSON
 * bytes with no intermediate objects. The request path reads many products at once
 * ({@link #findAll}, fed by {@link GalleryBatcher}); a write reads its own product back.
 */
public final class GalleryRepository {

    static final String SELECT_GALLERY = """
            SELECT p.id, p.name, p.version, i.id, i.position, i.url, i.thumbnail_url, i.alt, i.width, i.height,
                   i.renditions, i.placeholder, i.color
            FROM products p
            LEFT JOIN images i ON i.product_id = p.id AND i.status = 'ready'
            WHERE p.id = ?
            ORDER BY i.position
            """;

    static final String SELECT_GALLERIES = """
            SELECT p.id, p.name, p.version, i.id, i.position, i.url, i.thumbnail_url, i.alt, i.width, i.height,
                   i.renditions, i.placeholder, i.color
            FROM products p
            LEFT JOIN images i ON i.product_id = p.id AND i.status = 'ready'
            WHERE p.id = ANY (?)
            ORDER BY p.id, i.position
            """;

    /** The merchant's view: every image, whatever its status, with the status and a failure's reason. */
    static final String SELECT_PRODUCT = """
            SELECT p.id, p.name, p.version, i.id, i.position, i.url, i.thumbnail_url, i.alt, i.width, i.height,
                   i.renditions, i.placeholder, i.color, i.status, i.failure_reason
            FROM products p
            LEFT JOIN images i ON i.product_id = p.id
            WHERE p.id = ?
            ORDER BY i.position
            """;

    static final String SELECT_RENDITIONS = """
            SELECT renditions FROM images
            WHERE product_id = ? AND id = ? AND status = 'ready' AND renditions IS NOT NULL
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

    /** The gallery as this connection sees it: inside a write's transaction, its own uncommitted state. */
    public Optional<GalleryJson> find(Connection connection, long productId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT_GALLERY)) {
            statement.setLong(1, productId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(write(rs, false)) : Optional.empty();
            }
        }
    }

    /**
     * The product with all its images (processing and failed ones too, with their status), as
     * this connection sees it: the merchant's view, never cached.
     */
    public Optional<GalleryJson> findProduct(Connection connection, long productId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT_PRODUCT)) {
            statement.setLong(1, productId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(write(rs, true)) : Optional.empty();
            }
        }
    }

    /** {@link #findProduct(Connection, long)} on a connection of its own. */
    public Optional<GalleryJson> findProduct(long productId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return findProduct(connection, productId);
        }
    }

    /** The galleries of those of {@code productIds} that exist, in one query. */
    public List<GalleryJson> findAll(Connection connection, long[] productIds) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT_GALLERIES)) {
            statement.setObject(1, productIds);
            try (ResultSet rs = statement.executeQuery()) {
                var galleries = new ArrayList<GalleryJson>(productIds.length);
                boolean more = rs.next();
                while (more) {
                    galleries.add(write(rs, false));
                    more = !rs.isAfterLast();
                }
                return galleries;
            }
        }
    }

    /** A ready uploaded image's renditions, for its per-width URLs; empty for any other image. */
    public Optional<Renditions> findRenditions(long productId, long imageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_RENDITIONS)) {
            statement.setLong(1, productId);
            statement.setLong(2, imageId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(Renditions.parse(rs.getString(1))) : Optional.empty();
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

    /**
     * The gallery of the product on the current row, from its rows; leaves the ResultSet on the
     * next product's first row, or after the last row. With {@code withStatus}, each image says
     * its status (and a failed one why).
     */
    private static GalleryJson write(ResultSet rs, boolean withStatus) throws SQLException {
        var out = new ByteArrayOutputStream(1024);
        long productId = rs.getLong(1);
        long version = rs.getLong(3);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeNumberField("productId", productId);
            json.writeStringField("name", rs.getString(2));
            json.writeArrayFieldStart("images");
            do {
                long imageId = rs.getLong(4);
                if (rs.wasNull()) {
                    rs.next(); // a product without images has one row, of NULLs from the join
                    break;
                }
                json.writeStartObject();
                json.writeNumberField("id", imageId);
                json.writeNumberField("position", rs.getInt(5));
                json.writeStringField("url", rs.getString(6));
                json.writeStringField("thumbnailUrl", rs.getString(7));
                json.writeStringField("alt", rs.getString(8));
                writeNullableInt(json, "width", rs, 9);
                writeNullableInt(json, "height", rs, 10);
                if (withStatus) {
                    json.writeStringField("status", rs.getString(14));
                    String failureReason = rs.getString(15);
                    if (failureReason != null) {
                        json.writeStringField("failureReason", failureReason);
                    }
                }
                String renditions = rs.getString(11);
                if (renditions != null) {
                    writeRenditions(json, Renditions.parse(renditions), rs.getString(12), rs.getString(13));
                }
                json.writeEndObject();
            } while (rs.next() && rs.getLong(1) == productId);
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return GalleryJson.of(productId, out.toByteArray(), version);
    }

    /** A ready uploaded image's {@code sources}, {@code placeholder} and {@code color}; seeded and external images have none. */
    private static void writeRenditions(JsonGenerator json, Renditions renditions, String placeholder, String color)
            throws IOException {
        json.writeArrayFieldStart("sources");
        for (Renditions.Source source : renditions.sources()) {
            json.writeStartObject();
            json.writeStringField("type", source.type());
            json.writeStringField("srcset", source.srcset());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("placeholder", placeholder);
        json.writeStringField("color", color);
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
