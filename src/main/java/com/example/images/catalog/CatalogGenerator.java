package com.example.images.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic catalog data. Every product is derived from the random seed
 * and its own id alone, so any id range can be generated independently, in any order,
 * and always gives the same bytes.
 *
 * <p>Image ids number all images from 1 in (product id, position) order: the images of
 * product {@code p} start at {@code 1 + imageCount(1, p - 1)}. Seed, CSV export and the demo
 * catalog all follow this rule, so the same options give the same rows everywhere.
 */
public final class CatalogGenerator {

    private static final String[] ADJECTIVES = {
        "Handmade", "Rustic", "Sleek", "Ergonomic", "Vintage", "Modern", "Classic", "Refined",
        "Practical", "Elegant", "Durable", "Lightweight", "Compact", "Generic", "Gorgeous",
        "Incredible", "Intelligent", "Luxurious", "Oriental", "Recycled", "Small", "Large",
        "Tasty", "Unbranded", "Awesome", "Fantastic", "Licensed", "Handcrafted", "Bespoke", "Organic"
    };
    private static final String[] MATERIALS = {
        "Cotton", "Wooden", "Steel", "Granite", "Leather", "Bamboo", "Ceramic", "Linen", "Wool",
        "Silk", "Marble", "Bronze", "Glass", "Plastic", "Rubber", "Concrete", "Frozen", "Fresh",
        "Soft", "Metal", "Aluminum", "Copper", "Velvet", "Denim", "Cashmere"
    };
    private static final String[] NOUNS = {
        "Shirt", "Chair", "Table", "Lamp", "Keyboard", "Backpack", "Wallet", "Mug", "Sneakers",
        "Jacket", "Watch", "Bottle", "Blanket", "Pillow", "Towel", "Hat", "Gloves", "Scarf",
        "Bicycle", "Headphones", "Speaker", "Sofa", "Desk", "Shelf", "Vase", "Clock", "Mirror",
        "Knife", "Pan", "Teapot", "Umbrella", "Sunglasses", "Belt", "Boots", "Tent", "Kettle"
    };
    private static final String[] VIEWS = {
        "front view", "back view", "side view", "detail", "close-up", "in use", "top view",
        "packaging", "with accessories", "lifestyle shot"
    };
    private static final int[][] SIZES = {{1200, 1200}, {1600, 1200}, {1200, 1600}, {1000, 1000}, {1920, 1080}};

    private final long seed;
    private final int minImages;
    private final int maxImages;
    private final ImageUrls urls;

    public CatalogGenerator(long seed, int minImages, int maxImages, ImageUrls urls) {
        if (minImages < 0 || maxImages < minImages) {
            throw new IllegalArgumentException("need 0 <= min-images <= max-images, got "
                    + minImages + " and " + maxImages);
        }
        this.seed = seed;
        this.minImages = minImages;
        this.maxImages = maxImages;
        this.urls = urls;
    }

    public long seed() {
        return seed;
    }

    public int minImages() {
        return minImages;
    }

    public int maxImages() {
        return maxImages;
    }

    public ImageUrls urls() {
        return urls;
    }

    /** The product with this id, with its gallery in order. */
    public GeneratedProduct product(long productId) {
        var random = randomFor(productId);
        String name = name(random);
        int count = minImages + random.nextInt(maxImages - minImages + 1);
        List<GeneratedImage> images = new ArrayList<>(count);
        for (int position = 0; position < count; position++) {
            int[] size = SIZES[random.nextInt(SIZES.length)];
            String alt = name + ", " + VIEWS[(position + random.nextInt(VIEWS.length)) % VIEWS.length];
            images.add(new GeneratedImage(position,
                    urls.full(productId, position, size[0], size[1]),
                    urls.thumbnail(productId, position),
                    alt, size[0], size[1]));
        }
        return new GeneratedProduct(productId, name, images);
    }

    /** How many images the product with this id gets, without building them. */
    public int imageCount(long productId) {
        var random = randomFor(productId);
        random.nextInt(ADJECTIVES.length);
        random.nextInt(MATERIALS.length);
        random.nextInt(NOUNS.length);
        return minImages + random.nextInt(maxImages - minImages + 1);
    }

    /** The name of the product with this id, without building its gallery. */
    public String name(long productId) {
        return name(randomFor(productId));
    }

    /** How many images the products with ids {@code fromId..toId} (inclusive) get together. */
    public long imageCount(long fromId, long toId) {
        long sum = 0;
        for (long id = fromId; id <= toId; id++) {
            sum += imageCount(id);
        }
        return sum;
    }

    /** The id of the image at {@code position} of a product whose images start after {@code imagesBefore}. */
    public static long imageId(long imagesBefore, int position) {
        return imagesBefore + position + 1;
    }

    private static String name(SplittableRandom random) {
        return pick(random, ADJECTIVES) + " " + pick(random, MATERIALS) + " " + pick(random, NOUNS);
    }

    private SplittableRandom randomFor(long productId) {
        return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + productId));
    }

    private static String pick(SplittableRandom random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    // SplitMix64's finaliser: neighbouring ids give unrelated streams.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
