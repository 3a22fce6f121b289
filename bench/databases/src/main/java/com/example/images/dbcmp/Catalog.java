package com.example.images.dbcmp;

import com.example.images.catalog.CatalogGenerator;
import com.example.images.catalog.GeneratedProduct;
import com.example.images.catalog.ImageUrls;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's catalog (products 1..N from {@link CatalogGenerator} with the seed's defaults: 1-10
 * images, local placeholder URLs, image ids numbering all images from 1 in (product, position)
 * order), plus two products after it with exactly 10 and 250 images, for the reorder workload.
 */
public final class Catalog {

    private static final int CHUNK = 1024;

    private final long products;
    private final CatalogGenerator generator;
    private final CatalogGenerator ten;
    private final CatalogGenerator twoHundredFifty;
    private final long[] chunkFirstImage;
    private final long catalogImages;

    public Catalog(long products, long seed) {
        if (products < 1) {
            throw new IllegalArgumentException("--products must be at least 1, got " + products);
        }
        this.products = products;
        this.generator = new CatalogGenerator(seed, 1, 10, ImageUrls.local());
        this.ten = new CatalogGenerator(seed, 10, 10, ImageUrls.local());
        this.twoHundredFifty = new CatalogGenerator(seed, 250, 250, ImageUrls.local());
        int chunks = (int) ((products + CHUNK - 1) / CHUNK);
        chunkFirstImage = new long[chunks];
        long next = 1;
        for (int c = 0; c < chunks; c++) {
            chunkFirstImage[c] = next;
            long from = (long) c * CHUNK + 1;
            next += generator.imageCount(from, Math.min(products, from + CHUNK - 1));
        }
        catalogImages = next - 1;
    }

    public long seed() {
        return generator.seed();
    }

    /** Products of the seed's catalog; the two reorder products come after them. */
    public long products() {
        return products;
    }

    public long lastId() {
        return products + 2;
    }

    public long tenImagesId() {
        return products + 1;
    }

    public long twoHundredFiftyImagesId() {
        return products + 2;
    }

    /** Image ids above this are free for appended images. */
    public long lastImageId() {
        return catalogImages + 10 + 250;
    }

    /** The gallery of product {@code id} (1..lastId) as loaded, version 1. */
    public Gallery gallery(long id) {
        long firstImage;
        if (id <= products) {
            int chunk = (int) ((id - 1) / CHUNK);
            long from = (long) chunk * CHUNK + 1;
            firstImage = chunkFirstImage[chunk] + (id > from ? generator.imageCount(from, id - 1) : 0);
        } else {
            firstImage = catalogImages + 1 + (id == products + 2 ? 10 : 0);
        }
        return gallery(generate(id), firstImage);
    }

    /** Every product 1..lastId in id order, each with its gallery as loaded. */
    public void forEach(java.util.function.Consumer<Gallery> consumer) {
        long nextImage = 1;
        for (long id = 1; id <= lastId(); id++) {
            var gallery = gallery(generate(id), nextImage);
            nextImage += gallery.images().size();
            consumer.accept(gallery);
        }
    }

    private GeneratedProduct generate(long id) {
        if (id < 1 || id > lastId()) {
            throw new IllegalArgumentException("no product " + id + " in a catalog of " + lastId());
        }
        return id <= products ? generator.product(id) : (id == products + 1 ? ten : twoHundredFifty).product(id);
    }

    private static Gallery gallery(GeneratedProduct product, long firstImage) {
        List<Gallery.Img> images = new ArrayList<>(product.images().size());
        for (var image : product.images()) {
            images.add(new Gallery.Img(CatalogGenerator.imageId(firstImage - 1, image.position()), image.url(),
                    image.thumbnailUrl(), image.alt(), image.width(), image.height()));
        }
        return new Gallery(product.id(), product.name(), 1, List.copyOf(images));
    }
}
