package com.example.images.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the pipeline asks of an image library, and nothing more: libvips sits behind this
 * ({@link VipsCliProcessor}), so a binding can replace the CLI without touching callers.
 */
public interface ImageProcessor {

    /** The rendition widths, never upscaled: see {@link #widthsFor(int)}. */
    List<Integer> WIDTHS = List.of(160, 320, 640, 1280, 2048);

    /** Whether images can be processed here; when not, {@link #unavailableReason()} says why. */
    boolean available();

    /** One line for the operator and for a 503 when {@link #available()} is false, else empty. */
    String unavailableReason();

    /**
     * Reads the header only (no pixels are decoded): the dimensions after EXIF orientation,
     * frames, alpha. Refuses a file that the sniffed format's decoder cannot read, and a file
     * with more pixels than the limit (a decompression bomb) before anything decodes it.
     */
    ImageInfo probe(Path original, ImageFormat format) throws ImageRejectedException, ProcessingException, IOException;

    /**
     * Makes every rendition of the original into {@code outDir} (AVIF, WebP and JPEG at each of
     * {@link #widthsFor(int)}): oriented, in sRGB, 8 bits, metadata stripped, first frame only,
     * JPEG flattened onto white; plus its placeholder and dominant colour.
     */
    RenditionSet renditions(Path original, ImageInfo info, Path outDir) throws ProcessingException, IOException;

    /**
     * The widths made for an image this wide: every listed width below it, and then the image's
     * own width capped at 2048, so the largest rendition is as sharp as the original allows and
     * none is upscaled. A 1000 px image gets 160, 320, 640 and 1000; a 100 px one gets 100.
     */
    static List<Integer> widthsFor(int originalWidth) {
        int top = Math.min(originalWidth, WIDTHS.getLast());
        var widths = new java.util.ArrayList<Integer>();
        for (int w : WIDTHS) {
            if (w < top) {
                widths.add(w);
            }
        }
        widths.add(top);
        return List.copyOf(widths);
    }
}
