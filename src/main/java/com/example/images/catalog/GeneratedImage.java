package com.example.images.catalog;

/** A generated gallery image. */
public record GeneratedImage(int position, String url, String thumbnailUrl, String alt, int width, int height) {
}
