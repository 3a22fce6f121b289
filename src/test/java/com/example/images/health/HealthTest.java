package com.example.images.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.db.EmbeddedDatabase;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void live_and_ready_answer_200_while_the_database_answers() {
        Http http = TestApp.http();

        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        var ready = http.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("UP");
    }

    @Test
    void readiness_goes_red_and_only_cached_galleries_are_served_while_the_database_is_stopped() throws Exception {
        Path dir = TestDatabase.tempDir("images-health");
        EmbeddedDatabase database = EmbeddedDatabase.start(dir, 0);
        int port = database.port();
        Settings settings = Settings.defaults(dir).withDatabase(database.url()).withDemoData(true);
        try (Application app = Application.start(settings)) {
            Http http = new Http("http://127.0.0.1:" + app.port());
            assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(http.get("/api/products/1/images").statusCode()).isEqualTo(200);

            database.close();

            var ready = http.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("DOWN");
            assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
            var uncachedGallery = http.get("/api/products/2/images");
            assertThat(uncachedGallery.statusCode()).isEqualTo(503);
            assertThat(uncachedGallery.headers().firstValue("Retry-After")).isPresent();
            assertThat(uncachedGallery.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            Thread.sleep(settings.cache().stalenessBound().toMillis() + 200);
            var cachedGallery = http.get("/api/products/1/images");
            assertThat(cachedGallery.statusCode()).isEqualTo(200);
            assertThat(cachedGallery.headers().firstValue("X-Cache")).hasValue("stale");

            database = EmbeddedDatabase.start(dir, port);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
            int status = 0;
            while (Instant.now().isBefore(deadline) && (status = http.get("/health/ready").statusCode()) != 200) {
                Thread.sleep(200);
            }
            assertThat(status).isEqualTo(200);
            assertThat(http.get("/api/products/1/images").statusCode()).isEqualTo(200);
        } finally {
            database.close();
        }
    }
}
