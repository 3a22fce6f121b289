package com.example.images.cli;

import com.example.images.catalog.ImageUrls;
import picocli.CommandLine.Option;

/** Where generated image URLs point: shared by serve (demo catalog), seed and export-csv. */
public final class ImageUrlOptions {

    @Option(names = "--image-base-url", paramLabel = "URL", defaultValue = "${env:IMAGES_IMAGE_BASE_URL}",
            description = "Base URL (a CDN) of the generated image URLs. (env: IMAGES_IMAGE_BASE_URL, "
                    + "default: the service's own /img/ placeholders)")
    String imageBaseUrl;

    /** The URLs, after checking the option; a bad value is a usage error with a precise message. */
    ImageUrls urls() {
        if (imageBaseUrl != null && !imageBaseUrl.isBlank() && !imageBaseUrl.matches("(?i)https?://\\S+|/\\S*")) {
            throw new IllegalArgumentException("--image-base-url must be an http(s):// URL or a path, got '" + imageBaseUrl + "'");
        }
        return new ImageUrls(imageBaseUrl);
    }
}
