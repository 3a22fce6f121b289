package com.example.images.product;

import java.util.List;

/** The body of {@code PUT /api/products/{id}/images/order}: every image id of the product, in the new order. */
public record ImageOrder(List<Long> imageIds) {
}
