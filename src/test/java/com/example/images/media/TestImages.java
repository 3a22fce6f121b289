package com.example.images.media;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Test images made at test time: javax.imageio for plain JPEG/PNG/GIF, the vips CLI for the rest. */
final class TestImages {

    private TestImages() {
    }

    /** An opaque picture with a gradient and a red block in the top-left corner. */
    static BufferedImage picture(int width, int height, boolean alpha) {
        var image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(30, 90, 200, alpha ? 0 : 255), width, height, new Color(240, 200, 40)));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.RED);
        g.fillRect(0, 0, Math.max(1, width / 4), Math.max(1, height / 4));
        g.dispose();
        return image;
    }

    static Path write(BufferedImage image, String format, Path file) {
        try {
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path jpeg(Path dir, int width, int height) {
        return write(picture(width, height, false), "jpg", dir.resolve("picture-" + width + "x" + height + ".jpg"));
    }

    static Path png(Path dir, int width, int height, boolean alpha) {
        return write(picture(width, height, alpha), "png", dir.resolve("picture-" + width + "x" + height + (alpha ? "-alpha" : "") + ".png"));
    }

    /** Runs the vips CLI (vips, vipsheader) and fails the test when it fails. */
    static String vips(String... command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every field {@code vipsheader -a} prints, by name. */
    static java.util.Map<String, String> header(Path file) {
        return vips("vipsheader", "-a", file.toString()).lines()
                .filter(l -> l.contains(": "))
                .collect(java.util.stream.Collectors.toMap(l -> l.substring(0, l.indexOf(": ")),
                        l -> l.substring(l.indexOf(": ") + 2), (a, b) -> a));
    }

    /** A copy of the image in another format or with save options, e.g. {@code "out.webp[Q=80]"}. */
    static Path convert(Path in, Path dir, String target) {
        vips("vips", "copy", in.toString(), dir.resolve(target).toString());
        return dir.resolve(target.replaceAll("\\[.*", ""));
    }

    /** A 1×1 PNG whose header declares 100,000 × 100,000 pixels (IHDR width and height, CRC fixed): a bomb. */
    static Path pngBomb(Path dir) throws IOException {
        return pngDeclaring(dir, 100_000, 100_000);
    }

    /** A 1×1 PNG whose header declares {@code width} × {@code height} pixels (IHDR width and height, CRC fixed). */
    static Path pngDeclaring(Path dir, int width, int height) throws IOException {
        vips("vips", "black", dir.resolve("one.png").toString(), "1", "1");
        byte[] png = java.nio.file.Files.readAllBytes(dir.resolve("one.png"));
        java.nio.ByteBuffer.wrap(png).putInt(16, width).putInt(20, height);
        var crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        java.nio.ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
        return java.nio.file.Files.write(dir.resolve("declaring-" + width + "x" + height + ".png"), png);
    }

    /** A CMYK JPEG of the picture (libvips' built-in CMYK profile; no profile embedded). */
    static Path cmykJpeg(Path dir, int width, int height) {
        Path rgb = jpeg(dir, width, height);
        vips("vips", "colourspace", rgb.toString(), dir.resolve("cmyk.v").toString(), "cmyk");
        Path cmyk = dir.resolve("cmyk-" + width + "x" + height + ".jpg");
        vips("vips", "jpegsave", dir.resolve("cmyk.v").toString(), cmyk.toString());
        return cmyk;
    }

    /** A 16-bit-per-channel PNG of the picture, with alpha. */
    static Path png16(Path dir, int width, int height) {
        Path png8 = png(dir, width, height, true);
        vips("vips", "colourspace", png8.toString(), dir.resolve("deep.v").toString(), "rgb16");
        Path png16 = dir.resolve("deep-" + width + "x" + height + ".png");
        vips("vips", "pngsave", dir.resolve("deep.v").toString(), png16.toString());
        return png16;
    }

    /** The JPEG with a comment segment holding a script right after its start: a valid image and an HTML payload. */
    static Path polyglot(Path jpeg) {
        try {
            byte[] image = Files.readAllBytes(jpeg);
            byte[] script = "<script>alert(document.cookie)</script>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            var out = new java.io.ByteArrayOutputStream();
            out.write(image, 0, 2);
            int length = script.length + 2;
            out.write(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) (length >> 8), (byte) length});
            out.write(script);
            out.write(image, 2, image.length - 2);
            return Files.write(jpeg.resolveSibling("polyglot-" + jpeg.getFileName()), out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file cut to a fraction of its length. */
    static Path truncated(Path file, double fraction) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Path out = file.resolveSibling("truncated-" + file.getFileName());
            Files.write(out, java.util.Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GIF of the given frames (each a solid colour), via vips arrayjoin and gifsave. */
    static Path animatedGif(Path dir, int size, List<Color> frames) {
        Path gif = dir.resolve("animated.gif");
        vips("vips", "gifsave", frames(dir, size, frames).toString(), gif.toString(), "--page-height", String.valueOf(size));
        return gif;
    }

    /** An animated WebP of the given frames (each a solid colour), via vips arrayjoin and webpsave. */
    static Path animatedWebp(Path dir, int size, List<Color> frames) {
        Path webp = dir.resolve("animated.webp");
        vips("vips", "webpsave", frames(dir, size, frames).toString(), webp.toString(), "--page-height", String.valueOf(size));
        return webp;
    }

    /** The frames one below the other in one PNG, as libvips holds a multi-page image. */
    private static Path frames(Path dir, int size, List<Color> frames) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            var frame = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = frame.createGraphics();
            g.setColor(frames.get(i));
            g.fillRect(0, 0, size, size);
            g.dispose();
            parts.add(write(frame, "png", dir.resolve("frame-" + i + ".png")).toString());
        }
        Path joined = dir.resolve("frames.png");
        vips("vips", "arrayjoin", String.join(" ", parts), joined.toString(), "--across", "1");
        return joined;
    }

    /**
     * The JPEG with an EXIF block right after its start: an orientation tag, a camera make and
     * serial number and a GPS block that must never reach a shopper, and a description of
     * {@code padding} bytes.
     */
    static Path withExif(Path jpeg, int orientation, String make, int padding) {
        try {
            byte[] image = Files.readAllBytes(jpeg);
            String description = "x".repeat(padding);
            String serial = "SERIAL-0042-SECRET";
            var data = new java.io.ByteArrayOutputStream();
            var ifd = new java.io.ByteArrayOutputStream();
            int entries = 5;
            int dataStart = 8 + 2 + entries * 12 + 4;
            ifd.write(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
            short16(ifd, entries);
            // Tags in ascending order: ImageDescription, Make, Orientation, the GPS IFD's offset, and a maker serial
            // (BodySerialNumber lives in the EXIF IFD; an ASCII tag in IFD0 carries the same kind of secret for the test).
            dataStart = asciiEntry(ifd, data, 0x010E, description, dataStart);
            dataStart = asciiEntry(ifd, data, 0x010F, make, dataStart);
            short16(ifd, 0x0112);
            short16(ifd, 3);
            int32(ifd, 1);
            short16(ifd, orientation);
            short16(ifd, 0);
            int serialBytes = serial.length() + 1 + (serial.length() + 1) % 2;
            short16(ifd, 0x8825);
            short16(ifd, 4);
            int32(ifd, 1);
            int32(ifd, dataStart + serialBytes);
            asciiEntry(ifd, data, 0xA431, serial, dataStart);
            int32(ifd, 0);
            data.writeTo(ifd);
            // The GPS IFD: GPSVersionID 2.2.0.0 and GPSLatitudeRef "N", both inline.
            short16(ifd, 2);
            ifd.write(new byte[] {0, 0, 0, 1, 0, 0, 0, 4, 2, 2, 0, 0});
            ifd.write(new byte[] {0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0});
            int32(ifd, 0);
            byte[] tiff = ifd.toByteArray();
            int length = 2 + 6 + tiff.length;
            if (length > 0xffff) {
                throw new IllegalArgumentException("EXIF block too big for one segment: " + length);
            }
            var out = new java.io.ByteArrayOutputStream();
            out.write(image, 0, 2);
            out.write(new byte[] {(byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length, 'E', 'x', 'i', 'f', 0, 0});
            out.write(tiff);
            out.write(image, 2, image.length - 2);
            Path file = jpeg.resolveSibling("exif-" + orientation + "-" + padding + "-" + jpeg.getFileName());
            return Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int asciiEntry(java.io.ByteArrayOutputStream ifd, java.io.ByteArrayOutputStream data, int tag, String value,
                                  int offset) throws IOException {
        byte[] bytes = (value + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        short16(ifd, tag);
        short16(ifd, 2);
        int32(ifd, bytes.length);
        int32(ifd, offset);
        data.write(bytes);
        if (bytes.length % 2 == 1) {
            data.write(0);
        }
        return offset + bytes.length + bytes.length % 2;
    }

    private static void short16(java.io.ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private static void int32(java.io.ByteArrayOutputStream out, int v) {
        short16(out, v >>> 16);
        short16(out, v & 0xffff);
    }
}
