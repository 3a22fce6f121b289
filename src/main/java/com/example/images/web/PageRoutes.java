package com.example.images.web;

import com.example.images.gallery.GalleryRepository;
import com.example.images.http.Html;
import com.example.images.http.PathIds;
import com.example.images.http.Problem;
import com.example.images.http.ProblemResponder;
import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.Optional;

/** The human-facing pages: a small index, and the product page that hosts the gallery widget. */
public final class PageRoutes implements Routes {

    private static final int INDEX_LINKS = 12;

    private final GalleryRepository galleries;
    private final Assets assets;

    public PageRoutes(GalleryRepository galleries, Assets assets) {
        this.galleries = galleries;
        this.assets = assets;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        Routes.read(routes, "/", this::index);
        Routes.read(routes, "/products/{id}", this::product);
    }

    void index(Context ctx) throws SQLException {
        var links = new StringBuilder();
        for (var product : galleries.first(INDEX_LINKS)) {
            links.append("<li><a href=\"/products/").append(product.id()).append("\">")
                    .append(Html.escape(product.name())).append("</a></li>");
        }
        if (links.isEmpty()) {
            links.append("<li>The catalog is empty. Seed it with <code>bin/images seed --products 1000</code>.</li>");
        }
        html(ctx, 200, "Catalog", """
                <h1>Catalog</h1>
                <p>A few product pages, each with its image gallery:</p>
                <ul class="products">%s</ul>
                <p class="api">API: <a href="/api/products/1/images">/api/products/1/images</a></p>
                """.formatted(links));
    }

    void product(Context ctx) throws SQLException {
        String rawId = ctx.pathParam("id");
        long id;
        try {
            id = PathIds.parse("id", rawId);
        } catch (RuntimeException e) {
            page(ctx, new Problem(400, "Bad Request", "A product id is a positive whole number."));
            return;
        }
        Optional<String> name = galleries.findName(id);
        if (name.isEmpty()) {
            page(ctx, new Problem(404, "Product not found", "There is no product with id " + id + "."));
            return;
        }
        html(ctx, 200, name.get(), """
                <nav class="crumbs"><a href="/">Catalog</a></nav>
                <article class="product">
                  <product-gallery product-id="%1$d"></product-gallery>
                  <section class="details"><h1 class="product-name">%2$s</h1></section>
                </article>
                """.formatted(id, Html.escape(name.get())));
    }

    private void page(Context ctx, Problem problem) {
        ctx.header("Cache-Control", "no-store");
        ctx.status(problem.status()).contentType("text/html; charset=utf-8").result(ProblemResponder.html(problem));
    }

    private void html(Context ctx, int status, String title, String main) {
        ctx.status(status).contentType("text/html; charset=utf-8").result("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s</title>
                <link rel="stylesheet" href="%2$s">
                <script type="module" src="%3$s"></script>
                </head>
                <body>
                <main>
                %4$s
                </main>
                </body>
                </html>
                """.formatted(Html.escape(title), assets.url("page.css"), assets.url("gallery.js"), main));
    }
}
