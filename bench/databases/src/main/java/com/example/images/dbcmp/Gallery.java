package com.example.images.dbcmp;

import java.util.List;

/** One product's gallery as every store answers it: images in gallery order (index = position). */
public record Gallery(long productId, String name, long version, List<Img> images) {

    /** One image of a gallery. */
    public record Img(long id, String url, String thumbnailUrl, String alt, int width, int height) {
    }

    public List<Long> imageIds() {
        return images.stream().map(Img::id).toList();
    }

    public Gallery withImages(List<Img> newImages) {
        return new Gallery(productId, name, version + 1, List.copyOf(newImages));
    }
}
