package com.example.images.cli;

import com.example.images.catalog.CatalogGenerator;
import com.example.images.seed.SeedPlan;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What catalog to generate: shared by {@code seed} and {@code export-csv}, so both give the same rows. */
public final class GeneratorOptions {

    static final int MAX_IMAGES_LIMIT = 100;

    @Option(names = "--products", paramLabel = "N", required = true,
            description = "Products to generate, with ids 1..N.")
    long products;

    @Option(names = "--min-images", paramLabel = "N", defaultValue = "1",
            description = "Fewest images per product. (default: ${DEFAULT-VALUE})")
    int minImages;

    @Option(names = "--max-images", paramLabel = "N", defaultValue = "10",
            description = "Most images per product; counts are uniform in between. (default: ${DEFAULT-VALUE})")
    int maxImages;

    @Option(names = "--random-seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the generator: the same seed and options give the same rows, byte for byte. "
                    + "(default: ${DEFAULT-VALUE}, as the demo catalog)")
    long randomSeed;

    @Option(names = "--jobs", paramLabel = "J",
            description = "Generator threads. (default: the number of cores, here ${DEFAULT-VALUE})")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Mixin
    ImageUrlOptions imageUrls;

    /** The plan, after checking the options; bad values are usage errors with precise messages. */
    SeedPlan plan() {
        if (minImages < 0 || minImages > MAX_IMAGES_LIMIT) {
            throw new IllegalArgumentException("--min-images must be between 0 and " + MAX_IMAGES_LIMIT + ", got " + minImages);
        }
        if (maxImages < 0 || maxImages > MAX_IMAGES_LIMIT) {
            throw new IllegalArgumentException("--max-images must be between 0 and " + MAX_IMAGES_LIMIT + ", got " + maxImages);
        }
        if (minImages > maxImages) {
            throw new IllegalArgumentException("--min-images (" + minImages + ") must not be greater than --max-images ("
                    + maxImages + ")");
        }
        return new SeedPlan(new CatalogGenerator(randomSeed, minImages, maxImages, imageUrls.urls()), products, jobs);
    }
}
