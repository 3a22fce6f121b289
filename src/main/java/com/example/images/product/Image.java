package com.example.images.product;

/**
 * One image row, and the JSON of {@code /api/products/{id}/images/{imageId}}: the gallery
 * item's fields plus the product it belongs to. Width and height may be unknown (null).
 */
public record Image(long id, long productId, int position, String url, String thumbnailUrl, String alt,
                    Integer width, Integer height) {

    Image withFields(String newUrl, String newThumbnailUrl, String newAlt, Integer newWidth, Integer newHeight) {
        return new Image(id, productId, position, newUrl, newThumbnailUrl, newAlt, newWidth, newHeight);
    }

    Image at(int newPosition) {
        return new Image(id, productId, newPosition, url, thumbnailUrl, alt, width, height);
    }
}
