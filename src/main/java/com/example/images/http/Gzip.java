package com.example.images.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Precompressed responses: bodies that are served many times are gzipped once, when they
 * are made, and sent as they are to clients that accept gzip.
 */
public final class Gzip {

    /** Below this size gzip saves less than it costs in headers and CPU. */
    public static final int MIN_BYTES = 512;

    private Gzip() {
    }

    /** The gzipped body, or null when the body is too small to be worth it. */
    public static byte[] compressIfWorthIt(byte[] body) {
        if (body.length < MIN_BYTES) {
            return null;
        }
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

    /** Whether an Accept-Encoding header admits gzip (and does not refuse it with q=0). */
    public static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                return parts.length == 1 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }
}
