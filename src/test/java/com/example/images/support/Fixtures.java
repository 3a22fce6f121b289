package com.example.images.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Builds each test's own data directly in PostgreSQL. */
public final class Fixtures {

    /** The ids of a created product and of its images, in gallery order. */
    public record CreatedProduct(long id, String name, List<Long> imageIds) {
    }

    private final DataSource dataSource;

    public Fixtures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Fixtures shared() {
        return new Fixtures(TestDatabase.shared().dataSource());
    }

    /** One image row as stored. */
    public record ImageRow(String url, String thumbnailUrl, String alt, int width, int height) {
    }

    /** Makes the row of an image from its product id and position. */
    @FunctionalInterface
    public interface ImageMaker {
        ImageRow make(long productId, int position);
    }

    /** A product with {@code images} images, whose alt texts are "{name} #0", "{name} #1", … */
    public CreatedProduct product(String name, int images) {
        return product(name, images, (id, position) -> new ImageRow(
                "https://cdn.example.com/" + id + "/" + position + ".jpg",
                "https://cdn.example.com/" + id + "/" + position + "-thumb.jpg",
                name + " #" + position, 1200, 800 + position));
    }

    /**
     * A product whose images are the service's own placeholder SVGs, as site-relative URLs
     * ({@code /img/{id}/{position}/1200x900.svg}), so that a browser can load them with no network.
     * Alt texts are "{name} #0", "{name} #1", …
     */
    public CreatedProduct placeholderProduct(String name, int images) {
        return product(name, images, (id, position) -> new ImageRow(
                "/img/" + id + "/" + position + "/1200x900.svg",
                "/img/" + id + "/" + position + "/84x84.svg",
                name + " #" + position, 1200, 900));
    }

    /** A product with {@code images} images made by {@code maker}. */
    public CreatedProduct product(String name, int images, ImageMaker maker) {
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement st = c.prepareStatement("INSERT INTO products (name) VALUES (?) RETURNING id")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            var imageIds = new ArrayList<Long>();
            // Inserted in reverse so that the read order must come from position, not insertion order.
            for (int position = images - 1; position >= 0; position--) {
                ImageRow row = maker.make(id, position);
                try (PreparedStatement st = c.prepareStatement("""
                        INSERT INTO images (product_id, position, url, thumbnail_url, alt, width, height)
                        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                    st.setLong(1, id);
                    st.setInt(2, position);
                    st.setString(3, row.url());
                    st.setString(4, row.thumbnailUrl());
                    st.setString(5, row.alt());
                    st.setInt(6, row.width());
                    st.setInt(7, row.height());
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        imageIds.add(0, rs.getLong(1));
                    }
                }
            }
            return new CreatedProduct(id, name, imageIds);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An id that no product has. */
    public long unknownProductId() {
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT coalesce(max(id), 0) + 1000000 FROM products")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
