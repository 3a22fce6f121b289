package com.example.images.dbcmp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * The service's schema as it is (its first migration: products and images, one key
 * (product_id, position)), loaded as the seed loads it and written with the
 * statements of product/ProductRepository.
 */
final class RelationalStore extends PostgresStore {

    // The migration's keys go before the load and come back after it, as seed/DeferredSchema does.
    private static final String DROP_KEYS = """
            ALTER TABLE images DROP CONSTRAINT images_product_id_fkey;
            ALTER TABLE images DROP CONSTRAINT images_pkey;
            ALTER TABLE products DROP CONSTRAINT products_pkey
            """;

    private static final String KEYS = """
            ALTER TABLE products ADD CONSTRAINT products_pkey PRIMARY KEY (id);
            ALTER TABLE images ADD CONSTRAINT images_pkey PRIMARY KEY (product_id, position) DEFERRABLE INITIALLY IMMEDIATE;
            ALTER TABLE images ADD CONSTRAINT images_product_id_fkey
                FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
            """;

    private static final String GALLERY = """
            SELECT p.id, p.name, p.version, i.id, i.position, i.url, i.thumbnail_url, i.alt, i.width, i.height
            FROM products p
            LEFT JOIN images i ON i.product_id = p.id
            WHERE p.id = ?
            ORDER BY i.position
            """;

    private static final String LOCK_PRODUCT = """
            SELECT version FROM products WHERE id = ? FOR UPDATE
            """;

    private static final String BUMP_VERSION = """
            UPDATE products SET version = version + 1, updated_at = now() WHERE id = ?
            """;

    private static final String DEFER_KEY = """
            SET CONSTRAINTS images_pkey DEFERRED
            """;

    private static final String COUNT_IMAGES = """
            SELECT count(*) FROM images WHERE product_id = ?
            """;

    private static final String FIRST_IMAGE = """
            SELECT id FROM images WHERE product_id = ? AND position = 0
            """;

    private static final String INSERT_IMAGE = """
            INSERT INTO images (product_id, position, id, url, thumbnail_url, alt, width, height)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String MOVE = """
            UPDATE images SET position = CASE
                    WHEN id = ? THEN ?
                    WHEN ? < ? THEN position - 1
                    ELSE position + 1
                END, updated_at = now()
            WHERE product_id = ? AND position BETWEEN least(?, ?) AND greatest(?, ?)
            """;

    private static final String DELETE_FIRST = """
            DELETE FROM images WHERE product_id = ? AND position = 0
            """;

    private static final String SHIFT_DOWN_AFTER = """
            UPDATE images SET position = position - 1, updated_at = now()
            WHERE product_id = ? AND position > ?
            """;

    private static final String REORDER = """
            UPDATE images AS i SET position = o.ord - 1, updated_at = now()
            FROM unnest(?::bigint[]) WITH ORDINALITY AS o(id, ord)
            WHERE i.product_id = ? AND i.id = o.id AND i.position <> o.ord - 1
            """;

    RelationalStore(String sharedBuffers) {
        super(sharedBuffers);
    }

    @Override
    public String name() {
        return "relational";
    }

    @Override
    List<String> tables() {
        return List.of("products", "images");
    }

    @Override
    public void load(Catalog catalog) throws Exception {
        try (Connection c = connect()) {
            inTransaction(c, () -> {
                try (var s = c.createStatement()) {
                    s.execute(schema());
                    s.execute(DROP_KEYS);
                    var copy = c.unwrap(PGConnection.class).getCopyAPI();
                    var products = new CopyRows(copy.copyIn("COPY products (id, name) FROM STDIN (FORMAT csv, FREEZE)"));
                    catalog.forEach(g -> row(() -> products.field(g.productId()).field(g.name()).endRow()));
                    products.finish();
                    var images = new CopyRows(copy.copyIn("COPY images (product_id, position, id, url, thumbnail_url,"
                            + " alt, width, height) FROM STDIN (FORMAT csv, FREEZE)"));
                    catalog.forEach(g -> row(() -> {
                        for (int p = 0; p < g.images().size(); p++) {
                            var i = g.images().get(p);
                            images.field(g.productId()).field(p).field(i.id()).field(i.url()).field(i.thumbnailUrl())
                                    .field(i.alt()).field(i.width()).field(i.height()).endRow();
                        }
                    }));
                    images.finish();
                    s.execute(KEYS);
                    s.execute("SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products))");
                    s.execute("SELECT setval(pg_get_serial_sequence('images', 'id'), (SELECT max(id) FROM images))");
                }
                return null;
            });
            try (var s = c.createStatement()) {
                s.execute("ANALYZE products, images");
            }
        }
    }

    interface RowWork {
        void run() throws SQLException;
    }

    /** Runs a COPY row's writing inside the catalog's callback, which cannot throw SQLException. */
    static void row(RowWork work) {
        try {
            work.run();
        } catch (SQLException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
    }

    /** The service's src/main/resources/db/migration/V1__catalog.sql, as Flyway runs it first. */
    private static String schema() throws SQLException {
        try (var in = RelationalStore.class.getResourceAsStream("/db/migration/V1__catalog.sql")) {
            if (in == null) {
                throw new SQLException("db/migration/V1__catalog.sql is not on the classpath");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
    }

    @Override
    public Client client() throws Exception {
        return new RelationalClient(connect());
    }

    private static final class RelationalClient implements Client {
        private final Connection c;
        private final PreparedStatement gallery;
        private final PreparedStatement lock;
        private final PreparedStatement bump;
        private final PreparedStatement defer;
        private final PreparedStatement count;
        private final PreparedStatement first;
        private final PreparedStatement insert;
        private final PreparedStatement move;
        private final PreparedStatement deleteFirst;
        private final PreparedStatement shiftDown;
        private final PreparedStatement reorder;

        RelationalClient(Connection c) throws SQLException {
            this.c = c;
            c.unwrap(PGConnection.class).setPrepareThreshold(1);
            gallery = c.prepareStatement(GALLERY);
            lock = c.prepareStatement(LOCK_PRODUCT);
            bump = c.prepareStatement(BUMP_VERSION);
            defer = c.prepareStatement(DEFER_KEY);
            count = c.prepareStatement(COUNT_IMAGES);
            first = c.prepareStatement(FIRST_IMAGE);
            insert = c.prepareStatement(INSERT_IMAGE);
            move = c.prepareStatement(MOVE);
            deleteFirst = c.prepareStatement(DELETE_FIRST);
            shiftDown = c.prepareStatement(SHIFT_DOWN_AFTER);
            reorder = c.prepareStatement(REORDER);
        }

        @Override
        public Optional<Gallery> gallery(long productId) throws SQLException {
            gallery.setLong(1, productId);
            try (var rs = gallery.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String name = rs.getString(2);
                long version = rs.getLong(3);
                var images = new ArrayList<Gallery.Img>();
                do {
                    long id = rs.getLong(4);
                    if (!rs.wasNull()) {
                        images.add(new Gallery.Img(id, rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getInt(9), rs.getInt(10)));
                    }
                } while (rs.next());
                return Optional.of(new Gallery(productId, name, version, List.copyOf(images)));
            }
        }

        /** Locks the product row; the version it had, or -1 when there is no such product. */
        private long lock(long productId) throws SQLException {
            lock.setLong(1, productId);
            try (var rs = lock.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }

        private int count(long productId) throws SQLException {
            count.setLong(1, productId);
            try (var rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }

        private void bump(long productId) throws SQLException {
            bump.setLong(1, productId);
            bump.executeUpdate();
        }

        @Override
        public void append(long productId, Gallery.Img image) throws SQLException {
            inTransaction(c, () -> {
                lock(productId);
                insert.setLong(1, productId);
                insert.setInt(2, count(productId));
                insert.setLong(3, image.id());
                insert.setString(4, image.url());
                insert.setString(5, image.thumbnailUrl());
                insert.setString(6, image.alt());
                insert.setInt(7, image.width());
                insert.setInt(8, image.height());
                insert.executeUpdate();
                bump(productId);
                return null;
            });
        }

        @Override
        public void moveFirstToLast(long productId) throws SQLException {
            inTransaction(c, () -> {
                lock(productId);
                int last = count(productId) - 1;
                first.setLong(1, productId);
                long id;
                try (var rs = first.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                defer.execute();
                move.setLong(1, id);
                move.setInt(2, last);
                move.setInt(3, 0);
                move.setInt(4, last);
                move.setLong(5, productId);
                move.setInt(6, 0);
                move.setInt(7, last);
                move.setInt(8, 0);
                move.setInt(9, last);
                move.executeUpdate();
                bump(productId);
                return null;
            });
        }

        @Override
        public void deleteFirst(long productId) throws SQLException {
            inTransaction(c, () -> {
                lock(productId);
                deleteFirst.setLong(1, productId);
                deleteFirst.executeUpdate();
                defer.execute();
                shiftDown.setLong(1, productId);
                shiftDown.setInt(2, 0);
                shiftDown.executeUpdate();
                bump(productId);
                return null;
            });
        }

        @Override
        public boolean reorder(long productId, long version, List<Long> imageIds) throws SQLException {
            return inTransaction(c, () -> {
                if (lock(productId) != version || count(productId) != imageIds.size()) {
                    return false;
                }
                defer.execute();
                reorder.setArray(1, c.createArrayOf("bigint", imageIds.toArray()));
                reorder.setLong(2, productId);
                reorder.executeUpdate();
                bump(productId);
                return true;
            });
        }

        @Override
        public void close() {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
        }
    }
}
