package com.example.images.gallery;

import com.example.images.http.Gzip;

/**
 * A gallery response, already serialised: the JSON bytes, the same bytes gzipped (so that a
 * cache hit costs no compression either), and the product version they were read at, which
 * makes the strong ETag.
 */
public record GalleryJson(long productId, byte[] body, byte[] gzipped, long version) {

    public static GalleryJson of(long productId, byte[] body, long version) {
        return new GalleryJson(productId, body, Gzip.compressIfWorthIt(body), version);
    }

    public String etag() {
        return etag(productId, version);
    }

    /** The strong ETag of a product at a version; every representation of the product shares it. */
    public static String etag(long productId, long version) {
        return "\"" + productId + "-" + version + "\"";
    }

    /** The bytes a cache holds for this entry, for weighing it. */
    public int weight() {
        return 96 + body.length + (gzipped == null ? 0 : gzipped.length);
    }
}
