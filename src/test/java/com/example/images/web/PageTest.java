package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PageTest {

    private final Http http = TestApp.http();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void product_page_shows_the_name_and_the_gallery_element() {
        var product = fixtures.product("Gorgeous Granite Lamp", 3);

        var response = http.get("/products/" + product.id());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(response.body())
                .contains("<h1 class=\"product-name\">Gorgeous Granite Lamp</h1>")
                .contains("<product-gallery product-id=\"" + product.id() + "\">")
                .containsPattern("<script type=\"module\" src=\"/assets/[0-9a-f]{12}/gallery.js\">");
    }

    @Test
    void product_name_is_escaped_on_the_page() {
        var product = fixtures.product("<img src=x onerror=alert(1)></script>", 0);

        var body = http.get("/products/" + product.id()).body();

        assertThat(body).doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;");
    }

    @Test
    void unknown_product_page_is_a_404_page() {
        long id = fixtures.unknownProductId();

        var response = http.get("/products/" + id, "Accept", "text/html");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(response.body()).contains("Product not found").contains("<a href=\"/\">");
    }

    @Test
    void index_links_to_product_pages() {
        fixtures.product("Classic Wool Scarf", 1);

        var response = http.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsPattern("<a href=\"/products/\\d+\">");
    }

    @Test
    void placeholder_svg_is_deterministic_and_immutable() {
        var first = http.get("/img/42/3/1200x800.svg");
        var second = http.get("/img/42/3/1200x800.svg");
        var other = http.get("/img/43/3/1200x800.svg");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(first.body()).startsWith("<svg").contains("width=\"1200\"").contains("height=\"800\"").contains("Product 42");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(other.body()).isNotEqualTo(first.body());
    }

    @Test
    void placeholder_with_a_bad_size_is_400() {
        assertThat(http.get("/img/42/3/0x800.svg").statusCode()).isEqualTo(400);
        assertThat(http.get("/img/42/x/10x10.svg").statusCode()).isEqualTo(400);
        assertThat(http.get("/img/0/1/10x10.svg").statusCode()).isEqualTo(400);
    }

    @Test
    void hashed_assets_are_immutable_and_stable_ones_revalidate() {
        var page = http.get("/").body();
        var matcher = Pattern.compile("/assets/([0-9a-f]{12})/gallery.js").matcher(page);
        assertThat(matcher.find()).isTrue();

        var hashed = http.get(matcher.group());
        var stable = http.get("/assets/gallery.js");

        assertThat(hashed.statusCode()).isEqualTo(200);
        assertThat(hashed.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(hashed.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(stable.body()).isEqualTo(hashed.body());
        assertThat(stable.headers().firstValue("Cache-Control").orElse("")).doesNotContain("immutable");
        assertThat(http.get("/assets/nope.js").statusCode()).isEqualTo(404);
    }
}
