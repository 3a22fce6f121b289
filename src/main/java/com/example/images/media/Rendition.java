package com.example.images.media;

import java.nio.file.Path;

/** One rendition file: a format at a width. */
public record Rendition(ImageFormat format, int width, int height, Path file, long bytes) {
}
