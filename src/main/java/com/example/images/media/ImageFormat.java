package com.example.images.media;

import com.example.images.media.ImageRejectedException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The raster formats an upload may be, decided from the bytes alone: never from a
 * {@code Content-Type} or a file name.
 *
 * <p>{@link #sniff(Path)} reads the signature at offset 0, checks the container's end is there
 * (a truncated JPEG, PNG, GIF, WebP or AVIF is refused before anything is stored), and scans
 * the whole file for markup, so that a file that is both an image and an HTML page (a
 * polyglot) is refused too. SVG is refused: it is a document that can carry script.
 * Animated GIF and WebP are accepted; their renditions are the first frame.
 */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    WEBP("image/webp", "webp"),
    AVIF("image/avif", "avif"),
    GIF("image/gif", "gif");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] PNG_IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};
    private static final int HEAD = 64;
    private static final int TAIL = 64 * 1024;
    // Six bytes or more (at most one of them not a letter): compressed pixel data holds one by
    // chance about once in a million 25 MB uploads, case-insensitively. Five would be 1 in 500.
    private static final String[] MARKUP = {"<script", "<html>", "<html ", "<!doctype", "<?php ", "<?php\n", "<iframe",
            "<object", "<embed ", "<body>", "<body ", "<head>", "<img src", "<svg xmlns", "<?xml version", "javascript:"};
    private static final int LONGEST_MARKUP = Arrays.stream(MARKUP).mapToInt(String::length).max().orElseThrow();

    private final String contentType;
    private final String extension;

    ImageFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The file name extension its original is stored under, without the dot. */
    public String extension() {
        return extension;
    }

    /** The format a {@code Content-Type} names (parameters and case ignored); empty for any other type. */
    public static Optional<ImageFormat> ofContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.equals("image/jpg") || type.equals("image/pjpeg")) {
            return Optional.of(JPEG);
        }
        return Arrays.stream(values()).filter(f -> f.contentType.equals(type)).findFirst();
    }

    /**
     * Refuses the bytes unless they are this format and the declared type names it. A declared
     * type that is not an image type at all (application/octet-stream) is no disagreement.
     */
    public ImageFormat requireDeclared(String declaredContentType) throws ImageRejectedException {
        Optional<ImageFormat> declared = ofContentType(declaredContentType);
        if (declared.isPresent() && declared.get() != this) {
            throw new ImageRejectedException(Reason.CONTENT_TYPE_MISMATCH,
                    "the body is " + contentType + " but Content-Type says " + declared.get().contentType);
        }
        return this;
    }

    /** The format of the file's bytes, or a rejection saying precisely why they are not an image we take. */
    public static ImageFormat sniff(Path file) throws IOException, ImageRejectedException {
        long size = Files.size(file);
        if (size == 0) {
            throw new ImageRejectedException(Reason.EMPTY, "the body is empty");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        ImageFormat format = signature(head);
        byte[] tail = tail(file, size);
        format.requireComplete(head, tail, size);
        requireNoMarkup(file);
        return format;
    }

    /** The format named by the first bytes of a file (at least 12 of them, or all there are). */
    static ImageFormat signature(byte[] head) throws ImageRejectedException {
        if (head.length == 0) {
            throw new ImageRejectedException(Reason.EMPTY, "the body is empty");
        }
        if (startsWith(head, 0, (byte) 0xff, (byte) 0xd8, (byte) 0xff)) {
            return JPEG;
        }
        if (startsWith(head, 0, PNG_SIGNATURE)) {
            return PNG;
        }
        if (startsWith(head, 0, ascii("GIF87a")) || startsWith(head, 0, ascii("GIF89a"))) {
            return GIF;
        }
        if (startsWith(head, 0, ascii("RIFF")) && startsWith(head, 8, ascii("WEBP"))) {
            return WEBP;
        }
        if (startsWith(head, 4, ascii("ftyp"))) {
            return isoBrand(head);
        }
        String text = new String(head, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(Locale.ROOT);
        if (text.startsWith("\u00ef\u00bb\u00bf")) {
            text = text.substring(3).stripLeading();
        }
        if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.contains("svg"))
                || text.startsWith("<!doctype svg")) {
            throw new ImageRejectedException(Reason.SVG, "SVG is not accepted: it is a document that can carry script");
        }
        if (text.startsWith("<")) {
            throw new ImageRejectedException(Reason.HTML, "the body is markup (HTML or XML), not an image");
        }
        throw new ImageRejectedException(Reason.UNKNOWN_FORMAT,
                "the body is not a JPEG, PNG, WebP, AVIF or GIF image (first bytes " + hex(head, 8) + ")");
    }

    private static ImageFormat isoBrand(byte[] head) throws ImageRejectedException {
        if (head.length < 16) {
            throw new ImageRejectedException(Reason.TRUNCATED, "the ISO media file ends inside its ftyp box");
        }
        long boxSize = u32(head, 0);
        int end = (int) Math.min(Math.min(boxSize, head.length), Integer.MAX_VALUE);
        boolean avif = false;
        boolean heif = false;
        for (int i = 8; i + 4 <= end; i += 4) {
            if (i == 12) {
                continue; // minor version
            }
            String brand = new String(head, i, 4, StandardCharsets.ISO_8859_1);
            avif |= brand.equals("avif") || brand.equals("avis");
            heif |= brand.equals("heic") || brand.equals("heix") || brand.equals("mif1") || brand.equals("heim");
        }
        if (avif) {
            return AVIF;
        }
        if (heif) {
            throw new ImageRejectedException(Reason.HEIC, "HEIC/HEIF images are not accepted; send JPEG, PNG, WebP or AVIF");
        }
        throw new ImageRejectedException(Reason.UNKNOWN_FORMAT,
                "the body is an ISO media file but not AVIF (brand " + new String(head, 8, 4, StandardCharsets.ISO_8859_1) + ")");
    }

    private void requireComplete(byte[] head, byte[] tail, long size) throws ImageRejectedException {
        boolean complete = switch (this) {
            // Some cameras append data after the end-of-image marker; it only has to be near the end.
            case JPEG -> indexOf(tail, new byte[] {(byte) 0xff, (byte) 0xd9}) >= 0;
            case PNG -> indexOf(tail, PNG_IEND) >= 0;
            case GIF -> tail[tail.length - 1] == 0x3b || indexOf(tail, new byte[] {0x00, 0x3b}) >= 0;
            case WEBP -> head.length >= 12 && u32le(head, 4) + 8 <= size;
            case AVIF -> true;
        };
        if (!complete) {
            throw new ImageRejectedException(Reason.TRUNCATED, "the " + name() + " image is truncated: its end is missing");
        }
    }

    private static void requireNoMarkup(Path file) throws IOException, ImageRejectedException {
        byte[] buffer = new byte[64 * 1024 + LONGEST_MARKUP];
        int carry = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.readNBytes(buffer, carry, buffer.length - carry)) > 0) {
                int length = carry + n;
                String found = markupIn(buffer, length);
                if (found != null) {
                    throw new ImageRejectedException(Reason.POLYGLOT,
                            "the image also holds markup (" + found + "...): a polyglot file is not accepted");
                }
                carry = Math.min(LONGEST_MARKUP - 1, length);
                System.arraycopy(buffer, length - carry, buffer, 0, carry);
            }
        }
    }

    private static String markupIn(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != '<') {
                continue;
            }
            for (String marker : MARKUP) {
                if (i + marker.length() <= length && matchesIgnoringCase(bytes, i, marker)) {
                    return marker.strip();
                }
            }
        }
        return null;
    }

    private static boolean matchesIgnoringCase(byte[] bytes, int at, String marker) {
        for (int j = 0; j < marker.length(); j++) {
            int b = bytes[at + j] & 0xff;
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != marker.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] tail(Path file, long size) throws IOException {
        try (var channel = Files.newByteChannel(file)) {
            int length = (int) Math.min(size, TAIL);
            channel.position(size - length);
            var buffer = java.nio.ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // reads until full
            }
            return buffer.array();
        }
    }

    private static boolean startsWith(byte[] bytes, int at, byte... prefix) {
        if (bytes.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = bytes.length - part.length; i >= 0; i--) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    private static long u32le(byte[] b, int at) {
        return (b[at] & 0xffL) | ((b[at + 1] & 0xffL) << 8) | ((b[at + 2] & 0xffL) << 16) | ((b[at + 3] & 0xffL) << 24);
    }

    private static String hex(byte[] bytes, int max) {
        var sb = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
