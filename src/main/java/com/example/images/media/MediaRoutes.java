package com.example.images.media;

import com.example.images.http.EntityTags;
import com.example.images.http.Problem;
import com.example.images.http.ProblemException;
import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET} and {@code HEAD /media/{key}}: a blob of the media store, streamed. Keys are
 * content-addressed, so a blob never changes: it is cached for a year as immutable, and its
 * strong ETag is its SHA-256. One byte range is answered with a 206; several ranges with the
 * whole blob (a 200, which RFC 9110 allows), since browsers and players ask for one.
 */
public final class MediaRoutes implements Routes {

    private static final Logger log = LoggerFactory.getLogger(MediaRoutes.class);
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Map<String, String> TYPES = Arrays.stream(ImageFormat.values())
            .collect(Collectors.toUnmodifiableMap(ImageFormat::extension, ImageFormat::contentType));

    private final BlobStore blobs;

    public MediaRoutes(BlobStore blobs) {
        this.blobs = blobs;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        Routes.read(routes, "/media/{key}", this::serve);
    }

    /** A byte range of a blob: the first byte and how many. */
    record Range(long offset, long length) {
    }

    void serve(Context ctx) throws IOException {
        String key = ctx.pathParam("key");
        // Checked before the store sees it: a key is never a path.
        String contentType = BlobStore.KEY.matcher(key).matches() ? TYPES.get(key.substring(key.indexOf('.') + 1)) : null;
        if (contentType == null) {
            throw notFound();
        }
        long size;
        try {
            size = blobs.size(key).orElseThrow(MediaRoutes::notFound);
        } catch (IOException e) {
            throw unavailable(key, e);
        }
        String etag = "\"" + key.substring(0, key.indexOf('.')) + "\"";
        boolean notModified = EntityTags.noneMatch(EntityTags.header(ctx, "If-None-Match"), etag);
        // Before the caching headers: a 416 must not be cached for a year.
        Optional<Range> range = notModified ? Optional.empty()
                : ranged(EntityTags.header(ctx, "Range"), ctx.header("If-Range"), etag, size);
        ctx.header("Cache-Control", IMMUTABLE);
        ctx.header("ETag", etag);
        ctx.header("Accept-Ranges", "bytes");
        if (notModified) {
            ctx.status(304);
            return;
        }
        Range part = range.orElse(new Range(0, size));
        if (range.isPresent()) {
            ctx.status(206);
            ctx.header("Content-Range", "bytes " + part.offset() + "-" + (part.offset() + part.length() - 1) + "/" + size);
        }
        ctx.contentType(contentType);
        ctx.header("Content-Length", Long.toString(part.length()));
        if (ctx.method().name().equals("HEAD") || part.length() == 0) {
            return;
        }
        InputStream in;
        try {
            in = blobs.open(key, part.offset(), part.length());
        } catch (NoSuchFileException e) {
            // Collected between the size and the read.
            throw notFound();
        } catch (IOException e) {
            throw unavailable(key, e);
        }
        try (in) {
            stream(key, in, ctx.res().getOutputStream());
        }
    }

    /**
     * Copies the blob to the client. A client that goes away ends it quietly; a store that fails
     * midway is logged, and the response, shorter than its Content-Length, is aborted by Jetty.
     */
    private static void stream(String key, InputStream in, OutputStream out) {
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                log.warn("Reading media {} failed midway: {}", key, e.getMessage());
                return;
            }
            if (n < 0) {
                return;
            }
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * The one range that {@code Range} asks for; empty to send the whole blob (no header, a unit
     * other than bytes, a header we cannot read, several ranges, or an {@code If-Range} that no
     * longer matches). A range that starts past the end is a 416.
     */
    static Optional<Range> ranged(String header, String ifRange, String etag, long size) {
        if (header == null || (ifRange != null && !ifRange.strip().equals(etag))) {
            return Optional.empty();
        }
        String spec = header.strip();
        if (!spec.regionMatches(true, 0, "bytes=", 0, 6)) {
            return Optional.empty();
        }
        spec = spec.substring(6).strip();
        if (spec.contains(",")) {
            return Optional.empty();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        Function<String, Long> number = text -> text.matches("\\d{1,18}") ? Long.parseLong(text) : null;
        String first = spec.substring(0, dash).strip();
        String last = spec.substring(dash + 1).strip();
        if (first.isEmpty()) {
            Long suffix = number.apply(last);
            if (suffix == null) {
                return Optional.empty();
            }
            if (suffix == 0 || size == 0) {
                throw unsatisfiable(size);
            }
            long length = Math.min(suffix, size);
            return Optional.of(new Range(size - length, length));
        }
        Long start = number.apply(first);
        Long end = last.isEmpty() ? Long.valueOf(Long.MAX_VALUE) : number.apply(last);
        if (start == null || end == null || end < start) {
            return Optional.empty();
        }
        if (start >= size) {
            throw unsatisfiable(size);
        }
        return Optional.of(new Range(start, Math.min(end, size - 1) - start + 1));
    }

    private static ProblemException unsatisfiable(long size) {
        return new ProblemException(new Problem(416, "Range Not Satisfiable",
                "The range starts past the end of the " + size + " bytes."), Map.of("Content-Range", "bytes */" + size));
    }

    private static ProblemException unavailable(String key, IOException e) {
        log.warn("The media store failed on {}: {}", key, e.getMessage());
        return new ProblemException(new Problem(503, "Service Unavailable",
                "The media store did not answer; try again shortly."), Map.of("Retry-After", "1"));
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("There is no media file with this key.");
    }
}
