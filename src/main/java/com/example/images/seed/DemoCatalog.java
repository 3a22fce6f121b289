package com.example.images.seed;

import com.example.images.catalog.CatalogGenerator;
import com.example.images.catalog.ImageUrls;
import com.example.images.db.Transactions;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an empty catalog with a small demo so that the product page shows something at once.
 * It is the same load as {@code images seed --products 1000} with the default seed, done in
 * one transaction by the same loader.
 */
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

    /** The name the demo catalog gives product {@code id}. */
    public static String productName(long id) {
        return generator(ImageUrls.local()).name(id);
    }

    private static CatalogGenerator generator(ImageUrls urls) {
        return new CatalogGenerator(DEMO_SEED, 1, 10, urls);
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
            CatalogLoader.of(new SeedPlan(generator(urls), PRODUCTS, 1))
                    .load(connection, Progress.silent());
            log.info("Database was empty: loaded a demo catalog of {} products", PRODUCTS);
            return true;
        });
    }
}
