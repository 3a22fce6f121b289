package com.example.images.support;

import java.util.Set;

/** Routes registered only to answer 405, where "order" would otherwise be taken for an image id. */
public final class RefusedRoutes {

    public static final Set<String> ALL = Set.of("GET /api/products/{id}/images/order",
            "PATCH /api/products/{id}/images/order", "DELETE /api/products/{id}/images/order");

    private RefusedRoutes() {
    }
}
