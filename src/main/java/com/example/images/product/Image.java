package com.example.images.product;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One image row, and the JSON of {@code /api/products/{id}/images/{imageId}}: the gallery
 * item's fields plus the product it belongs to and its status ('processing', 'ready' or
 * 'failed', with {@code failureReason} only when failed). Width and height may be unknown (null).
 */
public record Image(long id, long productId, int position, String url, String thumbnailUrl, String alt,
                    Integer width, Integer height, String status,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String failureReason) {

    Image withFields(String newUrl, String newThumbnailUrl, String newAlt, Integer newWidth, Integer newHeight) {
        return new Image(id, productId, position, newUrl, newThumbnailUrl, newAlt, newWidth, newHeight, status, failureReason);
    }

    Image at(int newPosition) {
        return new Image(id, productId, newPosition, url, thumbnailUrl, alt, width, height, status, failureReason);
    }
}
