package com.example.images.media;

import java.util.List;

/**
 * The renditions of one image with what the gallery shows before they load: the intrinsic
 * size, a dominant colour ({@code #rrggbb}) and a BlurHash placeholder.
 */
public record RenditionSet(int width, int height, String color, String placeholder, List<Rendition> renditions) {

    public RenditionSet {
        renditions = List.copyOf(renditions);
    }
}
