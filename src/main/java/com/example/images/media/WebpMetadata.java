package com.example.images.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removes the EXIF, XMP and ICC chunks from a WebP file. libvips 8.14's webpsave writes EXIF
 * and the ICC profile even with {@code strip} (its JPEG and HEIF savers honour it).
 */
final class WebpMetadata {

    private static final int ICC = 0x20;
    private static final int EXIF = 0x08;
    private static final int XMP = 0x04;

    private WebpMetadata() {
    }

    static void strip(Path file) throws IOException {
        byte[] in = Files.readAllBytes(file);
        if (in.length < 12 || !"RIFF".equals(ascii(in, 0)) || !"WEBP".equals(ascii(in, 8))) {
            throw new IOException("not a WebP file");
        }
        var out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, 12);
        boolean changed = false;
        int at = 12;
        while (at + 8 <= in.length) {
            String fourcc = ascii(in, at);
            int size = le32(in, at + 4);
            int padded = size + (size & 1);
            if (size < 0 || at + 8 + size > in.length) {
                throw new IOException("WebP chunk " + fourcc + " runs past the end of the file");
            }
            int end = Math.min(in.length, at + 8 + padded);
            switch (fourcc) {
                case "EXIF", "XMP ", "ICCP" -> changed = true;
                case "VP8X" -> {
                    byte[] chunk = java.util.Arrays.copyOfRange(in, at, end);
                    chunk[8] &= (byte) ~(ICC | EXIF | XMP);
                    out.write(chunk);
                }
                default -> out.write(in, at, end - at);
            }
            at = end;
        }
        if (!changed) {
            return;
        }
        byte[] bytes = out.toByteArray();
        int riffSize = bytes.length - 8;
        bytes[4] = (byte) riffSize;
        bytes[5] = (byte) (riffSize >> 8);
        bytes[6] = (byte) (riffSize >> 16);
        bytes[7] = (byte) (riffSize >> 24);
        Files.write(file, bytes);
    }

    private static String ascii(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.US_ASCII);
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
