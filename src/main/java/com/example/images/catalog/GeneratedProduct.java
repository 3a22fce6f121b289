package com.example.images.catalog;

import java.util.List;

/** A generated product and its gallery, in position order. */
public record GeneratedProduct(long id, String name, List<GeneratedImage> images) {
}
