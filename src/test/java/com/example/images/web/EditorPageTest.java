package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import org.junit.jupiter.api.Test;

/** The editor's page as HTTP sees it: a shell under the pages' policy, with no product data in it. */
class EditorPageTest {

    private final Http http = TestApp.http();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void the_editor_page_is_a_shell_with_its_own_script_and_no_product_data() {
        var product = fixtures.product("Secretive Oak Sideboard", 2);

        var response = http.get("/admin/products/" + product.id());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'").contains("connect-src 'self'");
        assertThat(response.body())
                .contains("data-product-id=\"" + product.id() + "\"")
                .containsPattern("<script type=\"module\" src=\"/assets/[0-9a-f]{12}/admin.js\">")
                .containsPattern("<link rel=\"stylesheet\" href=\"/assets/[0-9a-f]{12}/admin.css\">")
                .doesNotContain("gallery.js")
                .doesNotContain("Secretive Oak Sideboard")
                .doesNotContain("cdn.example.com")
                .doesNotContain("<script>")
                .doesNotContain(" style=");
    }

    @Test
    void a_malformed_product_id_gets_a_400_page() {
        var response = http.get("/admin/products/desk-lamp", "Accept", "text/html");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(response.body()).contains("A product id is a positive whole number.");
    }

    @Test
    void the_editor_script_is_served_apart_from_the_widget() {
        var script = http.get("/assets/admin.js");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(script.body()).contains("sessionStorage").doesNotContain("localStorage").doesNotContain("http://")
                .doesNotContain("https://");
        assertThat(http.get("/assets/admin.css").statusCode()).isEqualTo(200);
    }
}
