package com.example.images.product;

/** The body of {@code PATCH /api/products/{id}}: the new name. */
public record ProductPatch(String name) {
}
