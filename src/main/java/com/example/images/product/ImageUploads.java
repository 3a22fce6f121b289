package com.example.images.product;

import com.example.images.db.Transactions;
import com.example.images.http.Problem;
import com.example.images.http.ProblemException;
import com.example.images.media.BlobStore;
import com.example.images.media.ImageFormat;
import com.example.images.media.ImageProcessor;
import com.example.images.media.ImageRejectedException;
import com.example.images.media.MediaBlobs;
import com.example.images.media.ProcessingException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@code POST /api/products/{id}/images} with the image's bytes: the body streams to a temporary
 * file under a hard cap, the bytes are sniffed and probed, the original is stored, and one
 * transaction under the product's lock inserts the image ('processing'), references the
 * original and queues its job. Every rejection comes before the database is touched, so it
 * leaves no row and no job; the temporary file is always deleted.
 *
 * <p>The original is stored in its own transaction first ({@link MediaBlobs#register} then
 * {@link BlobStore#put}, the row lock held across the put): should the image's transaction then
 * fail (404, 409, 412, a lost connection), the blob is left registered with no reference and
 * the collector removes it after its grace period. Storing inside the image's transaction would
 * leave bytes with no {@code media_blobs} row when it rolled back, which nothing would collect.
 */
public final class ImageUploads {

    private static final int RETRY_AFTER_SECONDS = 60;

    private final Transactions transactions;
    private final BlobStore store;
    private final ImageProcessor processor;
    private final MediaBlobs blobs;
    private final long maxBytes;

    public ImageUploads(Transactions transactions, BlobStore store, ImageProcessor processor, long maxBytes) {
        this.transactions = transactions;
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

    /** A received, checked original: its temporary file, format and the alt and position sent with it. */
    record Received(Path file, ImageFormat format, String alt, Integer position) {
    }

    /** Reads, checks and stores the original; the caller inserts the image and must {@link #delete} the file. */
    Received receive(Context ctx) throws IOException {
        if (!processor.available()) {
            throw new ProblemException(new Problem(503, "Service Unavailable", processor.unavailableReason()),
                    Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        String contentType = ctx.header("Content-Type");
        Path file = Files.createTempFile("upload-", ".part");
        try {
            String alt = ctx.queryParam("alt");
            Integer position = position(ctx.queryParam("position"));
            try (InputStream in = ctx.req().getInputStream()) {
                copyCapped(in, file);
            }
            ImageFormat format = ImageFormat.sniff(file).requireDeclared(contentType);
            processor.probe(file, format);
            return new Received(file, format, alt, position);
        } catch (ImageRejectedException e) {
            delete(file);
            throw rejected(e);
        } catch (ProcessingException e) {
            delete(file);
            throw new ProblemException(new Problem(422, "Unprocessable Content",
                    "the image could not be read: " + e.getMessage(), Map.of("reason", "UNREADABLE")));
        } catch (IOException | RuntimeException e) {
            delete(file);
            throw e;
        }
    }

    /** Stores the original (registered, not yet referenced): the blob the image's transaction will reference. */
    BlobStore.Blob store(Received received) throws IOException, SQLException {
        Path file = received.file();
        String extension = received.format().extension();
        String sha256 = BlobStore.sha256(file);
        var blob = new BlobStore.Blob(BlobStore.key(sha256, extension), Files.size(file), sha256);
        transactions.inTransaction(c -> {
            blobs.register(c, blob);
            try {
                return store.put(file, extension, received.format().contentType());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return blob;
    }

    MediaBlobs blobs() {
        return blobs;
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
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
