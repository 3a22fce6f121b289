package com.example.images.product;

/**
 * The body of {@code PATCH /api/products/{id}/images/{imageId}}: the fields to change. Absent
 * fields stay as they are; a null width or height makes it unknown; a new position moves the
 * image there and shifts the images in between.
 */
public record ImagePatch(String url, String thumbnailUrl, String alt, Integer width, Integer height, Integer position) {
}
