package com.example.images.seed;

import com.example.images.catalog.CatalogGenerator;
import com.example.images.catalog.CatalogState;
import com.example.images.catalog.GeneratedImage;
import com.example.images.catalog.GeneratedProduct;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Replaces the catalog with a generated one inside the caller's transaction: TRUNCATE, drop
 * indexes and keys, one COPY ... FREEZE stream per table fed by parallel generator threads
 * in id order, rebuild indexes and keys, set the identity sequences, ANALYZE, and mark the
 * catalog 'ready'. Nothing is visible to others until the caller commits.
 */
public final class CatalogLoader {

    /** What was loaded. */
    public record Counts(long products, long images) {
        public long rows() {
            return products + images;
        }
    }

    private final CatalogGenerator generator;
    private final long products;
    private final RowFormat format;

    CatalogLoader(CatalogGenerator generator, long products, RowFormat format) {
        this.generator = generator;
        this.products = products;
        this.format = format;
    }

    /** A loader in the fastest COPY format measured (see docs/SEED.md). */
    public static CatalogLoader of(CatalogGenerator generator, long products) {
        return new CatalogLoader(generator, products, new RowFormat.CopyBinary());
    }

    public Counts load(Connection connection, int jobs, Progress progress) throws SQLException {
        try (var workers = new Workers(jobs)) {
            return load(connection, workers, progress);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("the load failed: " + e.getMessage(), e);
        }
    }

    private Counts load(Connection connection, Workers workers, Progress progress) throws Exception {
        progress.phase("counting images");
        CatalogPlan plan = CatalogPlan.of(generator, products, workers);
        try (Statement st = connection.createStatement()) {
            // Other tables that reference the catalog are emptied with it.
            st.execute("TRUNCATE products, images CASCADE");
        }
        DeferredSchema schema = DeferredSchema.drop(connection);
        progress.expect(plan.products() + plan.images());
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        progress.phase("loading products");
        copy(copy, "products", RowFormat.PRODUCT_COLUMNS, workers, plan, chunk -> products(plan, chunk), progress);
        progress.phase("loading images");
        copy(copy, "images", RowFormat.IMAGE_COLUMNS, workers, plan, chunk -> images(plan, chunk), progress);
        schema.restore(connection, progress);
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT setval(pg_get_serial_sequence('products', 'id'), " + plan.products() + ")");
            st.execute(plan.images() > 0
                    ? "SELECT setval(pg_get_serial_sequence('images', 'id'), " + plan.images() + ")"
                    : "SELECT setval(pg_get_serial_sequence('images', 'id'), 1, false)");
            progress.phase("analyzing");
            st.execute("ANALYZE products, images");
            CatalogState.markReady(connection, plan.products(), plan.images(), generator);
            // Every running instance drops its whole cache when this commits.
            st.execute("SELECT pg_notify('gallery_changed', '*')");
        }
        return new Counts(plan.products(), plan.images());
    }

    private record Chunk(Bytes bytes, long rows) {
    }

    private void copy(CopyManager copy, String table, List<String> columns, Workers workers, CatalogPlan plan,
                      IntFunction<Chunk> encode, Progress progress) throws Exception {
        // FREEZE: the table was truncated in this transaction, so rows go in frozen and all-visible.
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN ("
                + format.copyOptions() + ", FREEZE)";
        CopyIn in = copy.copyIn(sql);
        try {
            var edge = new Bytes(64);
            format.start(edge, columns);
            in.writeToCopy(edge.array(), 0, edge.length());
            workers.inOrder(plan.chunks(), encode, chunk -> {
                in.writeToCopy(chunk.bytes().array(), 0, chunk.bytes().length());
                progress.add(chunk.rows());
            });
            edge.clear();
            format.end(edge);
            in.writeToCopy(edge.array(), 0, edge.length());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException ignored) {
                    // The connection is failing already; the first error is the one to report.
                }
            }
        }
    }

    private Chunk products(CatalogPlan plan, int chunk) {
        var out = new Bytes(CatalogPlan.CHUNK_PRODUCTS * 48);
        long first = plan.firstId(chunk);
        long last = plan.lastId(chunk);
        for (long id = first; id <= last; id++) {
            format.product(out, id, generator.name(id));
        }
        return new Chunk(out, last - first + 1);
    }

    private Chunk images(CatalogPlan plan, int chunk) {
        var out = new Bytes(CatalogPlan.CHUNK_PRODUCTS * 1024);
        long imageId = plan.imagesBefore(chunk);
        long rows = 0;
        for (long id = plan.firstId(chunk); id <= plan.lastId(chunk); id++) {
            GeneratedProduct product = generator.product(id);
            for (GeneratedImage image : product.images()) {
                format.image(out, id, CatalogGenerator.imageId(imageId, image.position()), image);
            }
            imageId += product.images().size();
            rows += product.images().size();
        }
        return new Chunk(out, rows);
    }
}
