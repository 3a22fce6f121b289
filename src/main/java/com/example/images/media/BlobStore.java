package com.example.images.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where originals and renditions are kept: content-addressed, so a key is the SHA-256 of the
 * bytes plus an extension ({@code 9f86d0...0a08.jpg}), the same bytes are stored once, and a
 * stored blob never changes. {@link FileBlobStore} keeps them in a directory,
 * {@link S3BlobStore} in any S3 API.
 *
 * <p>Deleting is the caller's business: a blob may be shared by several images, so only the
 * code that knows no image references it any longer deletes it.
 */
public interface BlobStore extends AutoCloseable {

    /** A stored blob: its key, size and SHA-256. */
    record Blob(String key, long size, String sha256) {
    }

    /** Stores the file's bytes under their key; storing bytes that are already there changes nothing. */
    default Blob put(Path file, String extension, String contentType) throws IOException {
        return put(describe(file, extension), file, contentType);
    }

    /** As {@link #put(Path, String, String)}, for a file already {@linkplain #describe described}: hashed once. */
    Blob put(Blob blob, Path file, String contentType) throws IOException;

    /** The blob's size, or empty when there is no such blob. */
    Optional<Long> size(String key) throws IOException;

    /** Reads {@code length} bytes from {@code offset}; a missing blob is a {@link java.nio.file.NoSuchFileException}. */
    InputStream open(String key, long offset, long length) throws IOException;

    /** Copies the blob to a local file (the processor reads originals from files). */
    void copyTo(String key, Path target) throws IOException;

    /** Removes the blob; removing one that is not there is no error. */
    void delete(String key) throws IOException;

    @Override
    default void close() {
    }

    /** Keys are a lower-case SHA-256 and a short extension, nothing else: never a path. */
    Pattern KEY = Pattern.compile("[0-9a-f]{64}\\.[a-z0-9]{1,5}");

    static String key(String sha256, String extension) {
        String key = sha256 + "." + extension;
        return requireKey(key);
    }

    static String requireKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a blob key: " + key);
        }
        return key;
    }

    /** The blob the file's bytes make: its key (SHA-256 and extension), size and SHA-256. */
    static Blob describe(Path file, String extension) throws IOException {
        String sha256 = sha256(file);
        return new Blob(key(sha256, extension), java.nio.file.Files.size(file), sha256);
    }

    /** The SHA-256 of the file, in lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
