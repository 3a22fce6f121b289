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

    /** A copy of the image in another format or with save options, e.g. {@code "out.webp[Q=80]"}. */
    static Path convert(Path in, Path dir, String target) {
        vips("vips", "copy", in.toString(), dir.resolve(target).toString());
        return dir.resolve(target.replaceAll("\\[.*", ""));
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
        Path gif = dir.resolve("animated.gif");
        vips("vips", "gifsave", joined.toString(), gif.toString(), "--page-height", String.valueOf(size));
        return gif;
    }
}
