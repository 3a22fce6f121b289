package com.example.images.seed;

import com.example.images.catalog.CatalogGenerator;

/**
 * The catalog cut into chunks of consecutive product ids, each knowing how many images come
 * before it, so that every chunk can be generated on its own with its final image ids.
 */
final class Chunks {

    static final int CHUNK_PRODUCTS = 1024;

    private final long products;
    private final long[] imagesBefore;
    private final long images;

    private Chunks(long products, long[] imagesBefore, long images) {
        this.products = products;
        this.imagesBefore = imagesBefore;
        this.images = images;
    }

    /** Counts every chunk's images on the workers: a cheap pass that builds no rows. */
    static Chunks of(SeedPlan plan, Workers workers) throws Exception {
        CatalogGenerator generator = plan.generator();
        long products = plan.products();
        // At most SeedPlan.MAX_PRODUCTS / CHUNK_PRODUCTS, about a million: an int.
        long chunks = (products + CHUNK_PRODUCTS - 1) / CHUNK_PRODUCTS;
        long[] before = new long[(int) chunks];
        long[] running = {0};
        int[] chunk = {0};
        workers.inOrder((int) chunks, c -> generator.imageCount(start(c), end(c, products)), count -> {
            before[chunk[0]++] = running[0];
            running[0] += count;
        });
        return new Chunks(products, before, running[0]);
    }

    long products() {
        return products;
    }

    /** All images of the catalog. */
    long images() {
        return images;
    }

    int chunks() {
        return imagesBefore.length;
    }

    long firstId(int chunk) {
        return start(chunk);
    }

    long lastId(int chunk) {
        return end(chunk, products);
    }

    long imagesBefore(int chunk) {
        return imagesBefore[chunk];
    }

    private static long start(int chunk) {
        return (long) chunk * CHUNK_PRODUCTS + 1;
    }

    private static long end(int chunk, long products) {
        return Math.min(products, (long) (chunk + 1) * CHUNK_PRODUCTS);
    }
}
