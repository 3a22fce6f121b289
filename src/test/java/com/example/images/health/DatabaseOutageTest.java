package com.example.images.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.db.EmbeddedDatabase;
import com.example.images.support.Http;
import com.example.images.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    private static final int POOL = 2;
    private static final int CONCURRENT = 60;

    @Test
    void while_the_database_is_stopped_concurrent_requests_get_503s_and_most_do_not_wait_for_it() throws Exception {
        Path dir = TestDatabase.tempDir("images-outage");
        EmbeddedDatabase database = EmbeddedDatabase.start(dir, 0);
        int port = database.port();
        Settings settings = new Settings("127.0.0.1", 0, java.util.Optional.of(database.url()), dir, true,
                com.example.images.catalog.ImageUrls.local(), POOL, Settings.DEFAULT_DB_READERS, Duration.ofSeconds(2), Duration.ofMillis(250),
                Settings.CacheSettings.defaults(), com.example.images.auth.ApiTokens.none(),
                new Settings.ShutdownSettings(Duration.ZERO, Duration.ofSeconds(5)));
        try (Application app = Application.start(settings)) {
            Http http = new Http("http://127.0.0.1:" + app.port());
            assertThat(http.get("/api/products/1/images").statusCode()).isEqualTo(200);
            double rejectedBefore = rejected(http);

            database.close();

            var responses = new ArrayList<Future<HttpResponse<String>>>();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < CONCURRENT; i++) {
                    long id = 2 + i;
                    responses.add(threads.submit(() -> http.get("/api/products/" + id + "/images")));
                }
            }
            for (var future : responses) {
                HttpResponse<String> response = future.get();
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            }
            // At most POOL requests at a time wait for the pool's connection timeout (a few rounds of
            // them, as each round ends); without the gate all of them would wait, and none be turned away.
            assertThat(rejected(http) - rejectedBefore)
                    .as("requests answered without waiting for the pool's connection timeout")
                    .isGreaterThanOrEqualTo(CONCURRENT / 2);

            database = EmbeddedDatabase.start(dir, port);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline && (status = http.get("/api/products/2/images").statusCode()) != 200) {
                Thread.sleep(100);
            }
            assertThat(status).as("recovers on its own once the database is back").isEqualTo(200);
        } finally {
            database.close();
        }
    }

    private static double rejected(Http http) {
        var matcher = Pattern.compile("(?m)^db_gate_rejected_total(?:\\{[^}]*})? ([0-9.eE+]+)").matcher(http.get("/metrics").body());
        assertThat(matcher.find()).as("/metrics has db_gate_rejected_total").isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
