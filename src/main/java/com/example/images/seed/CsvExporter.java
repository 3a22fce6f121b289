package com.example.images.seed;

import com.example.images.catalog.CatalogGenerator;
import com.example.images.catalog.GeneratedImage;
import com.example.images.catalog.GeneratedProduct;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code images export-csv}: the catalog a seed with the same options would load, as
 * products.csv and images.csv with the tables' column names as header rows. Files appear
 * under their final names only when complete.
 */
public final class CsvExporter {

    public static final String PRODUCTS_FILE = "products.csv";
    public static final String IMAGES_FILE = "images.csv";

    private final SeedPlan plan;
    private final CatalogGenerator generator;
    private final RowFormat format = new RowFormat.Csv();

    public CsvExporter(SeedPlan plan) {
        this.plan = plan;
        this.generator = plan.generator();
    }

    private record Chunk(Bytes products, Bytes images, long rows) {
    }

    public CatalogLoader.Counts export(Path dir, Progress progress) throws Exception {
        Files.createDirectories(dir);
        Path productsTmp = dir.resolve("." + PRODUCTS_FILE + ".partial");
        Path imagesTmp = dir.resolve("." + IMAGES_FILE + ".partial");
        try (var workers = new Workers(plan.jobs())) {
            progress.phase("counting images");
            Chunks chunks = Chunks.of(plan, workers);
            progress.expect(chunks.products() + chunks.images());
            progress.phase("writing " + dir);
            try (OutputStream productsOut = new BufferedOutputStream(Files.newOutputStream(productsTmp), 1 << 16);
                 OutputStream imagesOut = new BufferedOutputStream(Files.newOutputStream(imagesTmp), 1 << 16)) {
                var header = new Bytes(128);
                format.start(header, RowFormat.PRODUCT_COLUMNS);
                header.writeTo(productsOut);
                header.clear();
                format.start(header, RowFormat.IMAGE_COLUMNS);
                header.writeTo(imagesOut);
                workers.inOrder(chunks.chunks(), chunk -> encode(chunks, chunk), chunk -> {
                    chunk.products().writeTo(productsOut);
                    chunk.images().writeTo(imagesOut);
                    progress.add(chunk.rows());
                });
            }
            Files.move(productsTmp, dir.resolve(PRODUCTS_FILE), StandardCopyOption.REPLACE_EXISTING);
            Files.move(imagesTmp, dir.resolve(IMAGES_FILE), StandardCopyOption.REPLACE_EXISTING);
            return new CatalogLoader.Counts(chunks.products(), chunks.images());
        } finally {
            Files.deleteIfExists(productsTmp);
            Files.deleteIfExists(imagesTmp);
        }
    }

    private Chunk encode(Chunks chunks, int chunk) {
        var productsOut = new Bytes(Chunks.CHUNK_PRODUCTS * 32);
        var imagesOut = new Bytes(Chunks.CHUNK_PRODUCTS * 1024);
        long imagesBefore = chunks.imagesBefore(chunk);
        long rows = 0;
        for (long id = chunks.firstId(chunk); id <= chunks.lastId(chunk); id++) {
            GeneratedProduct product = generator.product(id);
            format.product(productsOut, id, product.name());
            for (GeneratedImage image : product.images()) {
                format.image(imagesOut, id, CatalogGenerator.imageId(imagesBefore, image.position()), image);
            }
            imagesBefore += product.images().size();
            rows += 1 + product.images().size();
        }
        return new Chunk(productsOut, imagesOut, rows);
    }
}
