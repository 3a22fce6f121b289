package com.example.images.product;

import com.example.images.media.MediaRoutes;
import com.example.images.media.Renditions;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One image row, and the JSON of {@code /api/products/{id}/images/{imageId}}: the gallery
 * item's fields plus the product it belongs to and its status ('processing', 'ready' or
 * 'failed', with {@code failureReason} only when failed). Width and height may be unknown (null).
 * A ready uploaded image also has its {@code sources}, {@code placeholder} and {@code color};
 * other images have none of the three.
 */
public record Image(long id, long productId, int position, String url, String thumbnailUrl, String alt,
                    Integer width, Integer height, String status,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String failureReason,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<Renditions.Source> sources,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String placeholder,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String color) {

    /** Whether the service holds this image's bytes: its url is then one of ours, never an external one. */
    boolean uploaded() {
        return MediaRoutes.isBlobUrl(url);
    }

    Image withFields(String newUrl, String newThumbnailUrl, String newAlt, Integer newWidth, Integer newHeight) {
        return new Image(id, productId, position, newUrl, newThumbnailUrl, newAlt, newWidth, newHeight, status, failureReason,
                sources, placeholder, color);
    }

    Image at(int newPosition) {
        return new Image(id, productId, newPosition, url, thumbnailUrl, alt, width, height, status, failureReason,
                sources, placeholder, color);
    }
}
