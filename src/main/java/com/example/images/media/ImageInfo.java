package com.example.images.media;

/**
 * What an image's header says: its format, its intrinsic size after EXIF orientation (what a
 * browser shows), its frames and whether it has an alpha channel.
 */
public record ImageInfo(ImageFormat format, int width, int height, int pages, boolean alpha) {

    public boolean animated() {
        return pages > 1;
    }
}
