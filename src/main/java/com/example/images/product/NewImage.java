package com.example.images.product;

/**
 * An image to add. Only {@code url} is required: {@code thumbnailUrl} defaults to it,
 * {@code alt} to "", unknown sizes stay null, and without a position the image is appended.
 */
public record NewImage(String url, String thumbnailUrl, String alt, Integer width, Integer height, Integer position) {
}
