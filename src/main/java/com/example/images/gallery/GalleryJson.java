package com.example.images.gallery;

import com.example.images.http.Gzip;

/**
 * A gallery response, already serialised: the JSON bytes, the same bytes gzipped once a client
 * that accepts gzip has asked for them (so that later hits cost no compression), and the
 * product version they were read at, which makes the strong ETag.
 *
 * @param gzipped null until {@link #withGzip()} made it, and for bodies too small to be worth it
 */
public record GalleryJson(long productId, byte[] body, byte[] gzipped, long version) {

    /** Read from the database: not compressed yet, since most misses never need it (profiled: 11% of a miss). */
    public static GalleryJson of(long productId, byte[] body, long version) {
        return new GalleryJson(productId, body, null, version);
    }

    /** This gallery with its gzipped bytes, made now if they are worth having and not made yet. */
    public GalleryJson withGzip() {
        byte[] compressed = gzipped == null ? Gzip.compressIfWorthIt(body) : null;
        return compressed == null ? this : new GalleryJson(productId, body, compressed, version);
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
