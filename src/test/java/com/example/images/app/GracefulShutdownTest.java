package com.example.images.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.support.Await;
import com.example.images.support.Locks;
import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown, observed from outside: a request is held open inside the service by a
 * table lock in PostgreSQL while {@link Application#close()} runs.
 */
class GracefulShutdownTest {

    private final Fixtures fixtures = Fixtures.shared();
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void a_request_in_flight_when_shutdown_starts_is_answered_and_new_connections_are_refused() throws Exception {
        Application app = start(Duration.ZERO, Duration.ofSeconds(20));
        var product = fixtures.product("Held Open Espresso Cup", 2);
        CompletableFuture<Void> closing;
        CompletableFuture<HttpResponse<String>> held;
        try (Connection lock = lockImages()) {
            held = client.sendAsync(galleryRequest(app, product.id()), HttpResponse.BodyHandlers.ofString());
            awaitGalleryQueryWaitingOnTheLock();

            closing = CompletableFuture.runAsync(app::close);
            awaitConnectionsRefused(app.port());

            assertThat(held).isNotDone();
            assertThat(closing).as("close() waits for the request in flight").isNotDone();
            lock.rollback();
        }
        HttpResponse<String> response = held.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Held Open Espresso Cup");
        closing.get(20, TimeUnit.SECONDS);
    }

    @Test
    void during_the_drain_delay_readiness_is_red_and_requests_are_served_with_connection_close() throws Exception {
        Application app = start(Duration.ofSeconds(5), Duration.ofSeconds(5));
        var product = fixtures.product("Draining Teapot", 1);
        String before = rawGet(app.port(), "/api/products/" + product.id() + "/images");
        assertThat(before).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");

        CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
        Http http = new Http("http://127.0.0.1:" + app.port());
        awaitReadinessRed(http);
        String during = rawGet(app.port(), "/api/products/" + product.id() + "/images");

        assertThat(during).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close").contains("Draining Teapot");
        assertThat(http.get("/health/ready").body()).contains("draining");
        assertThat(closing).isNotDone();
        closing.get(20, TimeUnit.SECONDS);
    }

    @Test
    void the_drain_timeout_bounds_how_long_close_waits_for_a_request_that_does_not_finish() throws Exception {
        Application app = start(Duration.ZERO, Duration.ofMillis(500));
        var product = fixtures.product("Stuck Kettle", 1);
        try (Connection lock = lockImages()) {
            var held = client.sendAsync(galleryRequest(app, product.id()), HttpResponse.BodyHandlers.ofString());
            awaitGalleryQueryWaitingOnTheLock();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);

            closing.get(20, TimeUnit.SECONDS);
            assertThat(held.isDone() ? held.handle((r, e) -> r == null ? 0 : r.statusCode()).get() : 0)
                    .as("the stuck request got no 200").isNotEqualTo(200);
            lock.rollback();
        }
    }

    private static Application start(Duration drainDelay, Duration drainTimeout) throws Exception {
        Settings settings = Settings.defaults(TestDatabase.tempDir("images-shutdown"))
                .withDatabase(TestDatabase.shared().url())
                .withDemoData(false)
                // The lock below must outlast the drain, not the statement timeout.
                .withDbTimeouts(Duration.ofSeconds(30), Duration.ofMillis(250))
                .withShutdown(new Settings.ShutdownSettings(drainDelay, drainTimeout));
        return Application.start(settings);
    }

    private static HttpRequest galleryRequest(Application app, long productId) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/products/" + productId + "/images"))
                .timeout(Duration.ofSeconds(30)).build();
    }

    /** Blocks every gallery read until the returned transaction ends. */
    private static Connection lockImages() throws SQLException {
        Connection c = TestDatabase.shared().dataSource().getConnection();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE images IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private static void awaitGalleryQueryWaitingOnTheLock() throws Exception {
        awaitTrue("the gallery query waits on the lock", () -> {
            try (Connection c = TestDatabase.shared().dataSource().getConnection()) {
                return Locks.queryWaits(c, "LEFT JOIN images");
            }
        });
    }

    private static void awaitConnectionsRefused(int port) throws Exception {
        awaitTrue("new connections are refused", () -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return false;
            } catch (ConnectException refused) {
                return true;
            }
        });
    }

    private static void awaitReadinessRed(Http http) throws Exception {
        awaitTrue("readiness turns red", () -> http.get("/health/ready").statusCode() == 503);
    }

    /** One request on a fresh keep-alive connection; the response head and body as text. */
    private static String rawGet(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            var text = new StringBuilder();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                int headEnd = text.indexOf("\r\n\r\n");
                if (headEnd > 0) {
                    var length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                    if (length.find() && text.length() - headEnd - 4 >= Integer.parseInt(length.group(1))) {
                        break;
                    }
                }
            }
            return text.toString();
        }
    }

    private static void awaitTrue(String what, Await.Condition condition) throws Exception {
        Await.until(what, Duration.ofSeconds(20), condition);
    }

    @Test
    void closing_twice_is_harmless() throws Exception {
        Application app = start(Duration.ZERO, Duration.ofSeconds(1));
        int port = app.port();
        app.close();
        app.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }
}
