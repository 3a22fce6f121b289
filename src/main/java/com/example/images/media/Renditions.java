package com.example.images.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A ready image's renditions as its {@code images.renditions} column holds them (the worker
 * writes it, docs/MEDIA.md), and what readers make of them: the {@code sources} of the image
 * JSON and the blob of one format at one width for the negotiated per-width URL.
 */
public record Renditions(List<Stored> stored) {

    /** The formats of the {@code sources}, in the order a {@code <picture>} should try them. */
    public static final List<ImageFormat> SOURCE_FORMATS = List.of(ImageFormat.AVIF, ImageFormat.WEBP, ImageFormat.JPEG);

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One rendition blob, an element of the column's JSON array. */
    public record Stored(String type, int width, int height, String key, long bytes) {

        public String url() {
            return MediaRoutes.blobUrl(key);
        }
    }

    /** One {@code <source>} of a {@code <picture>}: a format and every width of it, ascending. */
    public record Source(String type, String srcset) {
    }

    public Renditions {
        stored = List.copyOf(stored);
    }

    /** The column's JSON; a column the worker wrote always parses. */
    public static Renditions parse(String json) {
        try {
            return new Renditions(List.of(JSON.readValue(json, Stored[].class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("images.renditions holds JSON that is not a rendition list", e);
        }
    }

    /** AVIF, WebP and JPEG, each with its widths ascending as {@code "/media/<key> <width>w"}; a format with none is left out. */
    public List<Source> sources() {
        return SOURCE_FORMATS.stream()
                .map(format -> new Source(format.contentType(), ofFormat(format)
                        .sorted(Comparator.comparingInt(Stored::width))
                        .map(r -> r.url() + " " + r.width() + "w")
                        .collect(Collectors.joining(", "))))
                .filter(source -> !source.srcset().isEmpty())
                .toList();
    }

    /** The column's JSON for these renditions. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a rendition list always serialises", e);
        }
    }

    /** The widest rendition of {@code format}, the one an image's {@code url} names. */
    public Optional<Stored> largest(ImageFormat format) {
        return ofFormat(format).max(Comparator.comparingInt(Stored::width));
    }

    /** The narrowest rendition of {@code format}, the one an image's {@code thumbnailUrl} names. */
    public Optional<Stored> smallest(ImageFormat format) {
        return ofFormat(format).min(Comparator.comparingInt(Stored::width));
    }

    /** Every width the image has, ascending. */
    public List<Integer> widths() {
        return stored.stream().map(Stored::width).distinct().sorted().toList();
    }

    /** The rendition of {@code format} at exactly {@code width}, if the image has it. */
    public Optional<Stored> find(ImageFormat format, int width) {
        return ofFormat(format).filter(r -> r.width() == width).findFirst();
    }

    private Stream<Stored> ofFormat(ImageFormat format) {
        return stored.stream().filter(r -> r.type().equals(format.contentType()));
    }
}
