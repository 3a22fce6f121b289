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

/**
 * The human-facing pages: a small index, the product page that hosts the gallery widget, and
 * the merchant's gallery editor. The editor's page is a shell with no product data: its script
 * asks for an API token and reads and writes the gallery through the API.
 */
public final class PageRoutes implements Routes {

    private static final int INDEX_LINKS = 12;
    private static final String IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/avif,image/gif";
    /** The editor's shell; admin.js fills it from the API once the merchant has given a token. */
    private static final String EDITOR = """
            <nav class="crumbs"><a href="/">Catalog</a> · <a href="/products/%1$d">The product's page</a></nav>
            <div class="editor" data-product-id="%1$d">
            <h1 tabindex="-1">Gallery editor <span class="product-name"></span></h1>
            <p id="message" class="message" role="alert"></p>
            <p id="announce" class="visually-hidden" role="status"></p>
            <form id="token-form" class="token" hidden>
              <label for="token">API token</label>
              <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required>
              <button type="submit">Open the editor</button>
              <p class="hint">The token stays in this browser tab (sessionStorage) and goes only to this service's API.</p>
            </form>
            <section id="editor" hidden aria-labelledby="images-heading">
              <div id="drop" class="drop">
                <label for="files">Drop images anywhere on this page, or choose files to upload</label>
                <input id="files" type="file" multiple accept="%2$s">
                <p class="hint">JPEG, PNG, WebP, AVIF or GIF.</p>
              </div>
              <ul id="uploads" class="uploads" aria-label="Uploads"></ul>
              <h2 id="images-heading">Images</h2>
              <p class="hint">Drag an image to move it, or focus its handle (⠿) and press Alt+↑ or Alt+↓.</p>
              <ol id="images" class="images"></ol>
              <p><button type="button" id="forget-token">Forget the token</button></p>
            </section>
            <dialog id="confirm-delete" aria-labelledby="confirm-title">
              <form method="dialog">
                <h2 id="confirm-title">Delete this image?</h2>
                <img id="confirm-thumb" alt="" width="96" height="96">
                <p>It leaves the gallery at once; this cannot be undone.</p>
                <button value="delete" class="danger">Delete</button>
                <button value="cancel" autofocus>Cancel</button>
              </form>
            </dialog>
            </div>
            """;

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
        Routes.read(routes, "/admin/products/{id}", this::editor);
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
                """.formatted(links), "gallery.js", "page.css");
    }

    void product(Context ctx) throws SQLException {
        Optional<Long> parsed = productId(ctx);
        if (parsed.isEmpty()) {
            return;
        }
        long id = parsed.get();
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
                """.formatted(id, Html.escape(name.get())), "gallery.js", "page.css");
    }

    void editor(Context ctx) {
        Optional<Long> id = productId(ctx);
        if (id.isEmpty()) {
            return;
        }
        ctx.header("Cache-Control", "no-store");
        html(ctx, 200, "Gallery editor · product " + id.get(), EDITOR.formatted(id.get(), IMAGE_TYPES), "admin.js", "page.css", "admin.css");
    }

    /** The product id of the path, or empty when it is malformed and a 400 page has been answered. */
    private Optional<Long> productId(Context ctx) {
        try {
            return Optional.of(PathIds.parse("id", ctx.pathParam("id")));
        } catch (RuntimeException e) {
            page(ctx, new Problem(400, "Bad Request", "A product id is a positive whole number."));
            return Optional.empty();
        }
    }

    private void page(Context ctx, Problem problem) {
        ctx.header("Cache-Control", "no-store");
        ctx.status(problem.status()).contentType("text/html; charset=utf-8").result(ProblemResponder.html(problem));
    }

    private void html(Context ctx, int status, String title, String main, String script, String... stylesheets) {
        var links = new StringBuilder();
        for (String stylesheet : stylesheets) {
            links.append("<link rel=\"stylesheet\" href=\"").append(assets.url(stylesheet)).append("\">\n");
        }
        ctx.status(status).contentType("text/html; charset=utf-8").result("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s</title>
                %2$s<script type="module" src="%3$s"></script>
                </head>
                <body>
                <main>
                %4$s
                </main>
                </body>
                </html>
                """.formatted(Html.escape(title), links, assets.url(script), main));
    }
}
