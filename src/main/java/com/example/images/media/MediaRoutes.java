package com.example.images.media;

import com.example.images.http.EntityTags;
import com.example.images.http.PathIds;
import com.example.images.http.Problem;
import com.example.images.http.ProblemException;
import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
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
 *
 * <p>{@code GET} and {@code HEAD /media/images/{productId}/{imageId}/{width}}: a ready image's
 * rendition of that width, in the format {@code Accept} takes ({@link AcceptedFormat}), served
 * as its blob is, with {@code Vary: Accept}. An image's renditions never change either, so it is
 * immutable too.
 */
public final class MediaRoutes implements Routes {

    private static final Logger log = LoggerFactory.getLogger(MediaRoutes.class);
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Map<String, String> TYPES = Arrays.stream(ImageFormat.values())
            .collect(Collectors.toUnmodifiableMap(ImageFormat::extension, ImageFormat::contentType));

    /** Where the per-width URL finds an image's renditions. */
    @FunctionalInterface
    public interface RenditionLookup {
        /** The renditions of the product's image if it is a ready upload; empty for any other. */
        Optional<Renditions> find(long productId, long imageId) throws SQLException;
    }

    private static final String PREFIX = "/media/";

    private final BlobStore blobs;
    private final RenditionLookup renditions;

    /** The URL this service serves a stored blob at. */
    public static String blobUrl(String key) {
        return PREFIX + key;
    }

    /** Whether a URL is one of this service's blobs (an external image's URL is absolute, never one of these). */
    public static boolean isBlobUrl(String url) {
        return url.startsWith(PREFIX);
    }

    public MediaRoutes(BlobStore blobs, RenditionLookup renditions) {
        this.blobs = blobs;
        this.renditions = renditions;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        Routes.read(routes, "/media/{key}", this::serve);
        Routes.read(routes, "/media/images/{productId}/{imageId}/{width}", this::negotiate);
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
        send(ctx, key, contentType);
    }

    void negotiate(Context ctx) throws IOException, SQLException {
        // On every answer, errors too: a cache must not serve one Accept's answer to another.
        ctx.header("Vary", "Accept");
        long productId = PathIds.parse("productId", ctx.pathParam("productId"));
        long imageId = PathIds.parse("imageId", ctx.pathParam("imageId"));
        // Written like an id; one no rendition can have (wider than an int) is simply not found.
        int width = (int) Math.min(PathIds.parse("width", ctx.pathParam("width")), Integer.MAX_VALUE);
        Renditions ready = renditions.find(productId, imageId).orElseThrow(() -> ProblemException.notFound(
                "Product " + productId + " has no ready uploaded image with id " + imageId + "."));
        List<ImageFormat> offered = Renditions.SOURCE_FORMATS.stream()
                .filter(format -> ready.find(format, width).isPresent())
                .toList();
        if (offered.isEmpty()) {
            throw ProblemException.notFound("Image " + imageId + " has no rendition " + width + " px wide; its widths are "
                    + ready.widths().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ".");
        }
        ImageFormat format = AcceptedFormat.choose(EntityTags.header(ctx, "Accept"), offered)
                .orElseThrow(() -> notAcceptable(offered));
        Renditions.Stored rendition = ready.find(format, width).orElseThrow();
        send(ctx, rendition.key(), format.contentType());
    }

    /** The blob under {@code key} (checked to be a key) as {@code contentType}: 200, 206, 304 or 416. */
    private void send(Context ctx, String key, String contentType) throws IOException {
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

    private static ProblemException notAcceptable(List<ImageFormat> offered) {
        return new ProblemException(new Problem(406, "Not Acceptable", "Accept takes none of the formats this rendition has: "
                + offered.stream().map(ImageFormat::contentType).collect(Collectors.joining(", ")) + "."));
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
