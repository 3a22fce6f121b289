package com.example.images.catalog;

/**
 * Where generated images live: by default the service's own placeholder SVGs
 * ({@code /img/{product}/{position}/{w}x{h}.svg}), or the same paths under a CDN base URL.
 */
public record ImageUrls(String baseUrl) {

    public static final int THUMBNAIL_SIZE = 84;

    public ImageUrls {
        baseUrl = baseUrl == null ? "" : baseUrl.replaceAll("/+$", "");
    }

    public static ImageUrls local() {
        return new ImageUrls("");
    }

    public String full(long productId, int position, int width, int height) {
        return baseUrl + "/img/" + productId + "/" + position + "/" + width + "x" + height + ".svg";
    }

    public String thumbnail(long productId, int position) {
        return full(productId, position, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
    }
}
