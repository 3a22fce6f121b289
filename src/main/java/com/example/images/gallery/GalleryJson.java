package com.example.images.gallery;

/**
 * A gallery response, already serialised: the JSON bytes and the product version
 * they were read at, which is the strong ETag.
 */
public record GalleryJson(long productId, byte[] body, long version) {

    public String etag() {
        return "\"" + productId + "-" + version + "\"";
    }
}
