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
                new Settings.ShutdownSettings(Duration.ZERO, Duration.ofSeconds(5)),
                com.example.images.http.HttpServer.REQUEST_HEAD_TIMEOUT, false,
                Settings.MediaSettings.defaults(), Settings.DEFAULT_MAX_REPLICA_LAG);
        try (Application app = Application.start(settings)) {
            Http http = new Http("http://127.0.0.1:" + app.port());
            assertThat(http.get("/api/products/1/images").statusCode()).isEqualTo(200);
            double timeoutsBefore = connectionTimeouts(http);

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
            // One borrower at a time probes the database and waits the pool's connection timeout; the
            // others are turned away by the gate, or answered with the probe's failure by the gallery
            // reader. Without either, every request would wait out a timeout of its own.
            assertThat(connectionTimeouts(http) - timeoutsBefore)
                    .as("waits for the pool's connection timeout, for %d requests", CONCURRENT)
                    .isLessThanOrEqualTo(CONCURRENT / 10);

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

    /** Waits for a connection timeout, summed over the service's pools (the request pool and the gallery readers'). */
    private static double connectionTimeouts(Http http) {
        var matcher = Pattern.compile("(?m)^hikaricp_connections_timeout_total\\{[^}]*pool=\"images(-readers)?\"[^}]*} ([0-9.eE+]+)")
                .matcher(http.get("/metrics").body());
        double sum = 0;
        int pools = 0;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(2));
            pools++;
        }
        assertThat(pools).as("/metrics has hikaricp_connections_timeout_total for both pools").isEqualTo(2);
        return sum;
    }
}
