package com.example.images.product;

import java.util.List;

/** The body of {@code POST /api/products}: a name and, optionally, the gallery in order. */
public record NewProduct(String name, List<NewImage> images) {
}
