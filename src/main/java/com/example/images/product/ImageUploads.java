package com.example.images.product;

import com.example.images.db.Transactions;
import com.example.images.http.ErrorMapping;
import com.example.images.http.Problem;
import com.example.images.http.ProblemException;
import com.example.images.media.BlobStore;
import com.example.images.media.ImageFormat;
import com.example.images.media.ImageInfo;
import com.example.images.media.ImageProcessor;
import com.example.images.media.ImageRejectedException;
import com.example.images.media.MediaBlobs;
import com.example.images.media.ProcessingException;
import io.javalin.config.MultipartConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.http.util.MultipartUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/products/{id}/images} with the image's bytes: the body streams to a temporary
 * file under a hard cap, the bytes are sniffed and probed, the original is stored, and one
 * transaction under the product's lock inserts the image ('processing'), references the
 * original and queues its job. Every rejection comes before the database is touched, so it
 * leaves no row and no job; the temporary file is always deleted.
 *
 * <p>The product's checks (it exists, If-Match, the cap, the position) are made before the
 * original is stored, which is in its own transaction ({@link MediaBlobs#register} then
 * {@link BlobStore#put}, the row lock held across the put). Should the image's transaction then
 * fail anyway (the product changed in between, a lost connection), the blob is removed again if
 * no other upload took it meanwhile, else left to the collector. Storing inside the image's
 * transaction would leave bytes with no {@code media_blobs} row when it rolled back, which
 * nothing would collect.
 */
public final class ImageUploads {

    private static final int RETRY_AFTER_SECONDS = 60;
    /** What a multipart body may hold besides the file: boundaries, part headers, alt and position. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final BlobStore store;
    private final ImageProcessor processor;
    private final MediaBlobs blobs;
    private final long maxBytes;
    private final ProductWrites writes;

    public ImageUploads(Transactions transactions, BlobStore store, ImageProcessor processor, long maxBytes,
                        ProductWrites writes) {
        this.writes = writes;
        this.store = store;
        this.processor = processor;
        this.blobs = new MediaBlobs(transactions);
        this.maxBytes = maxBytes;
    }

    /** Whether the request carries image bytes (raw {@code image/*} or multipart) rather than JSON. */
    static boolean isUpload(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null) {
            return false;
        }
        String t = type.strip().toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("image/") || t.startsWith("multipart/form-data");
    }

    /** A received, checked original: its temporary file, what its header says, and the alt and position sent with it. */
    record Received(Path file, ImageInfo info, String alt, Integer position) {
        ImageFormat format() {
            return info.format();
        }
    }

    /** Reads, checks and stores the original; the caller inserts the image and must {@link #delete} the file. */
    Received receive(Context ctx) throws Exception {
        if (!processor.available()) {
            throw new ProblemException(new Problem(503, "Service Unavailable", processor.unavailableReason()),
                    Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
        }
        boolean multipart = ctx.header("Content-Type").strip().toLowerCase(java.util.Locale.ROOT)
                .startsWith("multipart/form-data");
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) {
            throw tooLarge();
        }
        Path file = Files.createTempFile("upload-", ".part");
        try {
            String contentType;
            String alt;
            Integer position;
            if (multipart) {
                Part part = multipart(ctx, file);
                contentType = part.contentType();
                alt = part.fields().get("alt");
                position = position(part.fields().get("position"));
            } else {
                contentType = ctx.header("Content-Type");
                alt = ctx.queryParam("alt");
                position = position(ctx.queryParam("position"));
                try (InputStream in = ctx.req().getInputStream()) {
                    copyCapped(in, file);
                } catch (IOException e) {
                    if (ErrorMapping.bodyTooSlow(e)) {
                        throw ErrorMapping.tooSlow();
                    }
                    throw e;
                }
            }
            ImageFormat format = ImageFormat.sniff(file).requireDeclared(contentType);
            return new Received(file, processor.probe(file, format), alt, position);
        } catch (ImageRejectedException e) {
            delete(file);
            throw rejected(e);
        } catch (ProcessingException e) {
            delete(file);
            throw new ProblemException(new Problem(422, "Unprocessable Content",
                    "the image could not be read: " + e.getMessage(), Map.of("reason", "UNREADABLE")));
        } catch (Exception e) {
            delete(file);
            throw e;
        }
    }

    /**
     * Adds a received original to the product: checks the product (it exists, If-Match, the cap,
     * the position) before the original is stored, then stores it and, in one transaction under
     * the product's lock, inserts the image 'processing', references the original and queues
     * its job. When that transaction fails (the product was deleted or filled since the checks,
     * a lost connection), the original is removed at once unless another upload of the same
     * bytes took it meanwhile ({@link MediaBlobs#release}); what cannot be removed is left to the
     * collector.
     */
    ProductWrites.ImageWritten add(long productId, IfMatch ifMatch, Received received) throws IOException, SQLException {
        writes.checkAddable(productId, ifMatch, received.position());
        MediaBlobs.Stored original = blobs.storeOwn(store, received.file(), received.format());
        try {
            return writes.addUploaded(productId, ifMatch, received.alt(), received.position(), original.blob(),
                    received.format().contentType(), received.info(), blobs);
        } catch (RuntimeException | SQLException e) {
            try {
                blobs.release(store, original);
            } catch (RuntimeException | SQLException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /**
     * The upload path without HTTP: the file (which stays the caller's) sniffed, probed and added
     * to the product's gallery at {@code position}, 'processing'. Returns the image's id.
     */
    public long addFile(long productId, Path file, String alt, int position)
            throws IOException, SQLException, ImageRejectedException, ProcessingException {
        ImageFormat format = ImageFormat.sniff(file);
        return add(productId, IfMatch.none(), new Received(file, processor.probe(file, format), alt, position)).image().id();
    }

    /** Whether uploads are on: libvips is there. */
    public boolean available() {
        return processor.available();
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    private record Part(String contentType, Map<String, String> fields) {
    }

    /**
     * The {@code file} part copied to {@code file}, with the {@code alt} and {@code position}
     * parts. Jetty parses the body under this upload's limits (the file part at most the cap,
     * the whole body at most the cap and 64 KiB), spooling parts past 64 KiB to temporary files
     * that are deleted here, whatever happens.
     */
    private Part multipart(Context ctx, Path file) throws Exception {
        var config = new MultipartConfig();
        config.cacheDirectory(System.getProperty("java.io.tmpdir"));
        config.maxFileSize(maxBytes, SizeUnit.BYTES);
        config.maxTotalRequestSize(maxBytes + MULTIPART_OVERHEAD, SizeUnit.BYTES);
        config.maxInMemoryFileSize(64 * 1024, SizeUnit.BYTES);
        try {
            List<UploadedFile> files = MultipartUtil.INSTANCE.uploadedFiles(ctx.req(), "file", config);
            if (files.isEmpty()) {
                throw ProblemException.invalidField("file", "is missing: send the image as the multipart part named file");
            }
            if (files.size() > 1) {
                throw ProblemException.invalidField("file", "must be sent once, got " + files.size() + " parts named file");
            }
            UploadedFile upload = files.getFirst();
            try (InputStream in = upload.content()) {
                copyCapped(in, file);
            }
            var fields = new java.util.HashMap<String, String>();
            MultipartUtil.INSTANCE.fieldMap(ctx.req(), config).forEach((name, values) -> {
                if (!values.isEmpty()) {
                    fields.put(name, values.getFirst());
                }
            });
            return new Part(upload.contentType(), fields);
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            if (ErrorMapping.bodyTooSlow(e)) {
                throw ErrorMapping.tooSlow();
            }
            // Jetty refuses a part or a body past the limits with an exception whose chain says so.
            if (pastLimit(e)) {
                throw tooLarge();
            }
            throw e;
        } finally {
            deleteParts(ctx);
        }
    }

    private static boolean pastLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (t instanceof IllegalStateException || message.contains("exceed") || message.contains("too large")
                    || message.contains("max ")) {
                return true;
            }
        }
        return false;
    }

    private static void deleteParts(Context ctx) {
        try {
            for (jakarta.servlet.http.Part part : ctx.req().getParts()) {
                part.delete();
            }
        } catch (Exception e) {
            // Nothing was spooled (the body never parsed), or Jetty deletes it when the request ends.
        }
    }

    private void copyCapped(InputStream in, Path file) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(new Problem(413, "Content Too Large",
                "The image is larger than " + maxBytes + " bytes, the most an upload may be."));
    }

    private static Integer position(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int position = Integer.parseInt(value.strip());
            if (position < 0) {
                throw ProblemException.invalidField("position", "must be 0 or more, got " + position);
            }
            return position;
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("position", "must be a whole number, got " + Echoed.of(value));
        }
    }

    static ProblemException rejected(ImageRejectedException e) {
        int status = e.reason().status();
        String title = status == 415 ? "Unsupported Media Type" : "Unprocessable Content";
        return new ProblemException(new Problem(status, title, e.getMessage(), Map.of("reason", e.reason().name())));
    }

    private static final class Echoed {
        static String of(String value) {
            String v = value.length() > 40 ? value.substring(0, 40) + "..." : value;
            return "\"" + v + "\"";
        }
    }
}
