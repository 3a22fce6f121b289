package com.example.images.seed;

import com.example.images.catalog.CatalogGenerator;
import com.example.images.catalog.CatalogState;
import com.example.images.catalog.GeneratedImage;
import com.example.images.catalog.GeneratedProduct;
import com.example.images.db.Channels;
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

    private final SeedPlan plan;
    private final CatalogGenerator generator;
    private final RowFormat format;

    CatalogLoader(SeedPlan plan, RowFormat format) {
        this.plan = plan;
        this.generator = plan.generator();
        this.format = format;
    }

    /** A loader in the fastest COPY format measured (see docs/SEED.md). */
    static CatalogLoader of(SeedPlan plan) {
        return new CatalogLoader(plan, new RowFormat.CopyBinary());
    }

    Counts load(Connection connection, Progress progress) throws SQLException {
        try (var workers = new Workers(plan.jobs())) {
            return load(connection, workers, progress);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("the load failed: " + e.getMessage(), e);
        }
    }

    private Counts load(Connection connection, Workers workers, Progress progress) throws Exception {
        progress.phase("counting images");
        Chunks chunks = Chunks.of(plan, workers);
        try (Statement st = connection.createStatement()) {
            // Other tables that reference the catalog are emptied with it.
            st.execute("TRUNCATE products, images CASCADE");
            // TRUNCATE fires no row trigger, so the images it removed did not drop their blob
            // references (images_release_blobs): none is left, and the collector removes every
            // blob once its grace period has passed.
            st.execute("UPDATE media_blobs SET refs = 0, orphaned_at = now() WHERE refs > 0");
        }
        DeferredSchema schema = DeferredSchema.drop(connection);
        progress.expect(chunks.products() + chunks.images());
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        progress.phase("loading products");
        copy(copy, "products", RowFormat.PRODUCT_COLUMNS, workers, chunks, chunk -> products(chunks, chunk), progress);
        progress.phase("loading images");
        copy(copy, "images", RowFormat.IMAGE_COLUMNS, workers, chunks, chunk -> images(chunks, chunk), progress);
        schema.restore(connection, progress);
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT setval(pg_get_serial_sequence('products', 'id'), " + chunks.products() + ")");
            st.execute(chunks.images() > 0
                    ? "SELECT setval(pg_get_serial_sequence('images', 'id'), " + chunks.images() + ")"
                    : "SELECT setval(pg_get_serial_sequence('images', 'id'), 1, false)");
            progress.phase("analyzing");
            st.execute("ANALYZE products, images");
            CatalogState.markReady(connection, chunks.products(), chunks.images(), generator);
            // Every running instance drops its whole cache when this commits.
            st.execute("SELECT pg_notify('" + Channels.GALLERY_CHANGED + "', '*')");
        }
        return new Counts(chunks.products(), chunks.images());
    }

    private record Chunk(Bytes bytes, long rows) {
    }

    private void copy(CopyManager copy, String table, List<String> columns, Workers workers, Chunks chunks,
                      IntFunction<Chunk> encode, Progress progress) throws Exception {
        // FREEZE: the table was truncated in this transaction, so rows go in frozen and all-visible.
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN ("
                + format.copyOptions() + ", FREEZE)";
        CopyIn in = copy.copyIn(sql);
        try {
            var edge = new Bytes(64);
            format.start(edge, columns);
            in.writeToCopy(edge.array(), 0, edge.length());
            workers.inOrder(chunks.chunks(), encode, chunk -> {
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

    private Chunk products(Chunks chunks, int chunk) {
        var out = new Bytes(Chunks.CHUNK_PRODUCTS * 48);
        long first = chunks.firstId(chunk);
        long last = chunks.lastId(chunk);
        for (long id = first; id <= last; id++) {
            format.product(out, id, generator.name(id));
        }
        return new Chunk(out, last - first + 1);
    }

    private Chunk images(Chunks chunks, int chunk) {
        var out = new Bytes(Chunks.CHUNK_PRODUCTS * 1024);
        long imageId = chunks.imagesBefore(chunk);
        long rows = 0;
        for (long id = chunks.firstId(chunk); id <= chunks.lastId(chunk); id++) {
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
