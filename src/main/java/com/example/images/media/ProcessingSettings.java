package com.example.images.media;

import java.time.Duration;

/**
 * How images are processed.
 *
 * @param maxImagePixels    the most pixels (width x height, read from the header) an image may
 *                          declare: a decompression-bomb guard (default 50 MP)
 * @param timeout           the time one image's renditions may take before it fails
 * @param concurrentImages  images processed at once on this instance
 * @param processesPerImage libvips processes one image runs at once (each is multithreaded too)
 */
public record ProcessingSettings(long maxImagePixels, Duration timeout, int concurrentImages, int processesPerImage) {

    public static final long DEFAULT_MAX_IMAGE_PIXELS = 50_000_000L;

    public ProcessingSettings {
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("--max-image-pixels must be at least 1, got " + maxImagePixels);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the processing timeout must be positive, got " + timeout);
        }
        if (concurrentImages < 1) {
            throw new IllegalArgumentException("concurrent images must be at least 1, got " + concurrentImages);
        }
        if (processesPerImage < 1) {
            throw new IllegalArgumentException("processes per image must be at least 1, got " + processesPerImage);
        }
    }

    /** 50 MP, 60 s per image, one image at a time with two libvips processes: sized for 2 cores. */
    public static ProcessingSettings defaults() {
        return new ProcessingSettings(DEFAULT_MAX_IMAGE_PIXELS, Duration.ofSeconds(60), 1, 2);
    }

    public ProcessingSettings withMaxImagePixels(long pixels) {
        return new ProcessingSettings(pixels, timeout, concurrentImages, processesPerImage);
    }

    public ProcessingSettings withTimeout(Duration value) {
        return new ProcessingSettings(maxImagePixels, value, concurrentImages, processesPerImage);
    }

    public ProcessingSettings withConcurrentImages(int count) {
        return new ProcessingSettings(maxImagePixels, timeout, count, processesPerImage);
    }
}
