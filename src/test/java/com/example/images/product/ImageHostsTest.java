package com.example.images.product;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** Image hosts that are accepted: internationalised names (stored as punycode), and private ones when allowed. */
class ImageHostsTest {

    private final Api api = Api.shared();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void an_idn_host_is_accepted_and_stored_in_punycode() {
        var product = fixtures.product("IDN", 0);

        var added = api.write("POST", "/api/products/" + product.id() + "/images",
                "{\"url\": \"https://пример.рф/a.jpg\", \"thumbnailUrl\": \"https://bücher.example:8443/t.jpg?x=1\"}");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(json(added).get("url").asText()).isEqualTo("https://xn--e1afmkfd.xn--p1ai/a.jpg");
        assertThat(json(added).get("thumbnailUrl").asText()).isEqualTo("https://xn--bcher-kva.example:8443/t.jpg?x=1");
        assertThat(api.get("/api/products/" + product.id() + "/images").body()).contains("https://xn--e1afmkfd.xn--p1ai/a.jpg");
    }

    @Test
    void public_addresses_and_names_that_only_look_local_are_accepted() {
        var product = fixtures.product("Public hosts", 0);
        for (String url : new String[]{"http://93.184.215.14/a.jpg", "http://[2606:4700::1111]/a.jpg", "https://localhost.example.com/a.jpg",
                "https://cdn.example.com:443/a.jpg", "https://10.example/a.jpg"}) {
            var added = api.write("POST", "/api/products/" + product.id() + "/images", "{\"url\": \"" + url + "\"}");
            assertThat(added.statusCode()).as(url + ": " + added.body()).isEqualTo(201);
        }
    }

    @Test
    void private_hosts_are_accepted_when_the_setting_allows_them() throws Exception {
        Settings settings = Settings.defaults(TestDatabase.tempDir("images-private-hosts")).withDatabase(TestDatabase.shared().url())
                .withDemoData(false).withApiTokens(ApiTokens.of(TestApp.TOKEN)).withAllowPrivateImageHosts(true);
        try (Application app = Application.start(settings)) {
            var local = new Api(new Http("http://127.0.0.1:" + app.port()), TestApp.TOKEN);
            var product = fixtures.product("Local development", 0);

            var added = local.write("POST", "/api/products/" + product.id() + "/images",
                    "{\"url\": \"http://127.0.0.1:" + app.port() + "/img/1/0/500x500.svg\", \"thumbnailUrl\": \"http://localhost/t.svg\"}");

            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        }
    }
}
