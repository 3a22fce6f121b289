package com.example.images.gallery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A gallery response, already serialised: the JSON bytes, the same bytes gzipped (so that a
 * cache hit costs no compression either), and the product version they were read at, which
 * makes the strong ETag.
 */
public record GalleryJson(long productId, byte[] body, byte[] gzipped, long version) {

    /** Below this size gzip saves less than the headers and the CPU it costs. */
    static final int GZIP_MIN_BYTES = 512;

    public static GalleryJson of(long productId, byte[] body, long version) {
        return new GalleryJson(productId, body, body.length >= GZIP_MIN_BYTES ? gzip(body) : null, version);
    }

    public String etag() {
        return "\"" + productId + "-" + version + "\"";
    }

    /** The bytes a cache holds for this entry, for weighing it. */
    public int weight() {
        return 96 + body.length + (gzipped == null ? 0 : gzipped.length);
    }

    private static byte[] gzip(byte[] body) {
        var out = new ByteArrayOutputStream(body.length / 2);
        try (var gz = new GZIPOutputStream(out, 512) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
