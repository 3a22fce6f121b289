package com.example.images.catalog;

import com.example.images.db.Transactions;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fills an empty catalog with a small demo so that the product page shows something at once. */
public final class DemoCatalog {

    public static final int PRODUCTS = 1000;
    private static final long DEMO_SEED = 42;
    private static final Logger log = LoggerFactory.getLogger(DemoCatalog.class);

    private final Transactions transactions;
    private final ImageUrls urls;

    public DemoCatalog(DataSource dataSource, ImageUrls urls) {
        this.transactions = new Transactions(dataSource);
        this.urls = urls;
    }

    /** Loads the demo when there are no products at all; returns whether it did. */
    public boolean fillIfEmpty() throws SQLException {
        return transactions.inTransaction(connection -> {
            // Two instances starting together must not both load the demo.
            try (var lock = connection.createStatement()) {
                lock.execute("LOCK TABLE products IN SHARE ROW EXCLUSIVE MODE");
            }
            try (var st = connection.createStatement(); var rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM products)")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return false;
                }
            }
            load(connection);
            log.info("Database was empty: loaded a demo catalog of {} products", PRODUCTS);
            return true;
        });
    }

    private void load(Connection connection) throws SQLException {
        var generator = new CatalogGenerator(DEMO_SEED, 1, 10, urls);
        var products = new StringBuilder();
        var images = new StringBuilder();
        for (long id = 1; id <= PRODUCTS; id++) {
            GeneratedProduct product = generator.product(id);
            CopyText.append(products.append(id).append('\t'), product.name()).append('\n');
            for (GeneratedImage image : product.images()) {
                images.append(id).append('\t').append(image.position()).append('\t');
                CopyText.append(images, image.url()).append('\t');
                CopyText.append(images, image.thumbnailUrl()).append('\t');
                CopyText.append(images, image.alt()).append('\t');
                images.append(image.width()).append('\t').append(image.height()).append('\n');
            }
        }
        try {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY products (id, name) FROM STDIN", new StringReader(products.toString()));
            copy.copyIn("COPY images (product_id, position, url, thumbnail_url, alt, width, height) FROM STDIN",
                    new StringReader(images.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("could not stream the demo catalog", e);
        }
        try (var st = connection.createStatement()) {
            st.execute("SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products))");
            st.execute("ANALYZE products");
            st.execute("ANALYZE images");
        }
    }
}
