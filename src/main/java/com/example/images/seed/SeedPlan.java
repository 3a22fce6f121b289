package com.example.images.seed;

import com.example.images.catalog.CatalogGenerator;
import java.util.Objects;

/**
 * What a seed, a CSV export or the demo fill generates, and on how many threads: products with
 * ids 1..{@code products} from {@code generator}. The one place {@code --products} and
 * {@code --jobs} are checked; everything downstream takes a plan and trusts it.
 */
public record SeedPlan(CatalogGenerator generator, long products, int jobs) {

    public static final long MAX_PRODUCTS = 1_000_000_000L;
    public static final int MAX_JOBS = 256;

    public SeedPlan {
        Objects.requireNonNull(generator, "generator");
        if (products < 1 || products > MAX_PRODUCTS) {
            throw new IllegalArgumentException("--products must be between 1 and " + MAX_PRODUCTS + ", got " + products);
        }
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("--jobs must be between 1 and " + MAX_JOBS + ", got " + jobs);
        }
    }
}
