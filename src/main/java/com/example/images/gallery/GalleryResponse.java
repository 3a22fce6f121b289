package com.example.images.gallery;

import com.example.images.http.EntityTags;
import java.util.function.BiConsumer;

/**
 * What a gallery GET answers, decided once for both ways a request can arrive (the Jetty fast
 * path and the Javalin route): the status, the headers and the bytes, for a gallery and the
 * request's {@code If-None-Match} and {@code Accept-Encoding}.
 *
 * @param body the bytes to send, or null for a 304
 */
public record GalleryResponse(int status, String etag, boolean stale, boolean gzipped, byte[] body) {

    /** Browsers and proxies may reuse a gallery briefly; ETags make revalidation cheap. */
    static final String CACHE_CONTROL = "public, max-age=1";

    /**
     * @param ifNoneMatch every line of the request's {@code If-None-Match}, or null
     * @param acceptsGzip whether the request accepts gzip (then {@code result} should carry the gzipped bytes) */
    public static GalleryResponse of(GalleryLookup.Result result, String ifNoneMatch, boolean acceptsGzip) {
        GalleryJson gallery = result.gallery();
        String etag = gallery.etag();
        if (EntityTags.noneMatch(ifNoneMatch, etag)) {
            return new GalleryResponse(304, etag, result.stale(), false, null);
        }
        boolean gzip = acceptsGzip && gallery.gzipped() != null;
        return new GalleryResponse(200, etag, result.stale(), gzip, gzip ? gallery.gzipped() : gallery.body());
    }

    /** The headers in the order they are sent, {@code Content-Length} aside. */
    public void headers(BiConsumer<String, String> header) {
        header.accept("ETag", etag);
        header.accept("Vary", "Accept-Encoding");
        if (stale) {
            header.accept("Cache-Control", "no-cache");
            header.accept("X-Cache", "stale");
        } else {
            header.accept("Cache-Control", CACHE_CONTROL);
        }
        if (body != null) {
            header.accept("Content-Type", "application/json");
            if (gzipped) {
                header.accept("Content-Encoding", "gzip");
            }
        }
    }
}
