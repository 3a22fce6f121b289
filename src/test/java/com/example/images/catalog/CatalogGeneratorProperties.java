package com.example.images.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class CatalogGeneratorProperties {

    @Property
    void every_product_has_min_to_max_images_at_positions_zero_to_n_minus_one(
            @ForAll long seed, @ForAll @LongRange(min = 1, max = 10_000_000_000L) long id,
            @ForAll @IntRange(min = 0, max = 12) int min, @ForAll @IntRange(min = 0, max = 12) int extra) {
        var generator = new CatalogGenerator(seed, min, min + extra, ImageUrls.local());

        GeneratedProduct product = generator.product(id);

        assertThat(product.images()).hasSizeBetween(min, min + extra).hasSize(generator.imageCount(id));
        for (int i = 0; i < product.images().size(); i++) {
            GeneratedImage image = product.images().get(i);
            assertThat(image.position()).isEqualTo(i);
            assertThat(image.url()).isEqualTo("/img/" + id + "/" + i + "/" + image.width() + "x" + image.height() + ".svg");
            assertThat(image.alt()).startsWith(product.name() + ", ");
        }
        assertThat(product.name()).matches("[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+").isEqualTo(generator.name(id));
    }

    @Property
    void a_product_depends_only_on_the_seed_and_its_id(@ForAll long seed, @ForAll @LongRange(min = 1, max = 1_000_000_000L) long id) {
        var first = new CatalogGenerator(seed, 1, 10, ImageUrls.local());
        var second = new CatalogGenerator(seed, 1, 10, ImageUrls.local());
        second.product(id + 1);

        assertThat(second.product(id)).isEqualTo(first.product(id));
    }

    @Property
    void image_counts_over_ranges_add_up(@ForAll long seed, @ForAll @LongRange(min = 1, max = 1_000_000L) long from,
                                         @ForAll @IntRange(min = 0, max = 200) int length, @ForAll @IntRange(min = 0, max = 200) int split) {
        var generator = new CatalogGenerator(seed, 1, 10, ImageUrls.local());
        long to = from + length;
        long middle = from + Math.min(split, length);

        assertThat(generator.imageCount(from, middle) + generator.imageCount(middle + 1, to))
                .isEqualTo(generator.imageCount(from, to));
    }
}
