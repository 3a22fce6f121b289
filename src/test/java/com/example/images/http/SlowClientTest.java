package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.support.Fixtures;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that sends a byte now and then no longer holds a connection for as long as it likes:
 * its request head must be complete within the head timeout, and its body must keep up
 * {@link HttpServer#MIN_REQUEST_DATA_RATE}. Either way it gets a 408 and the connection closes.
 */
class SlowClientTest {

    private static final int DRIP_MS = 300;
    /** Far longer than either limit allows here; the code before answered neither within it. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @Test
    void a_request_head_dripped_byte_by_byte_is_cut_off_at_the_head_timeout() throws Exception {
        var timeout = Duration.ofSeconds(1);
        Settings settings = Settings.defaults(TestDatabase.tempDir("images-slow-head")).withDatabase(TestDatabase.shared().url())
                .withDemoData(false).withRequestHeadTimeout(timeout);
        try (Application app = Application.start(settings)) {
            long started = System.nanoTime();

            String answer = drip(app.port(), "", "GET /health/live HTTP/1.1\r\nHost: a\r\nX-Slow: " + "x".repeat(200));

            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("application/problem+json").contains("within 1000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PATIENCE);
        }
    }

    @Test
    void a_request_body_dripped_byte_by_byte_is_cut_off_however_much_the_service_has_read_before() throws Exception {
        // Jetty's own rate check counted every request's bytes: after these 1.2 MB it never fired.
        for (int i = 0; i < 20; i++) {
            var bulky = TestApp.http().send("POST", "/api/products", "{\"name\": 1}" + " ".repeat(60_000),
                    "Authorization", "Bearer " + TestApp.TOKEN, "Content-Type", "application/json");
            assertThat(bulky.statusCode()).isEqualTo(422);
        }
        String head = "POST /api/products HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + TestApp.TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";

        String answer = drip(TestApp.shared().port(), head, "{\"name\": \"" + "x".repeat(186) + "\"}");

        assertThat(answer).startsWith("HTTP/1.1 408 ").contains("arrived too slowly");
    }

    @Test
    void a_refused_body_sent_just_fast_enough_is_read_for_a_bounded_time_then_the_connection_closes() throws Exception {
        int declared = 1024 * 1024;
        String head = "POST /api/products HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + TestApp.TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n";
        long started = System.nanoTime();

        // 4 KB/s, four times the least rate accepted: the whole body would take over 4 minutes.
        String answer = drip(TestApp.shared().port(), head, " ".repeat(declared), 1200);

        assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("Connection: close");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PATIENCE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"image/jpeg", "multipart/form-data; boundary=drip"})
    void an_upload_dripped_byte_by_byte_is_408_too_not_a_server_error(String contentType) throws Exception {
        long product = Fixtures.shared().product("Slow upload", 0).id();
        String head = "POST /api/products/" + product + "/images HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + TestApp.TOKEN
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: 100000\r\n\r\n";
        String part = contentType.startsWith("multipart")
                ? "--drip\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                : "";

        String answer = drip(TestApp.shared().port(), head, part + "\u00ff\u00d8" + "x".repeat(200));

        assertThat(answer).startsWith("HTTP/1.1 408 ").contains("arrived too slowly");
    }

    private static String drip(int port, String head, String slowly) throws IOException {
        return drip(port, head, slowly, 1);
    }

    /**
     * Sends {@code head} at once, then {@code slowly} {@code bytes} at a time every {@value #DRIP_MS} ms
     * until the service answers and closes; what it answered, or what it had by {@link #PATIENCE}.
     */
    private static String drip(int port, String head, String slowly, int bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(DRIP_MS);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            var answer = new StringBuilder();
            int next = 0;
            while (System.nanoTime() < deadline) {
                if (next < slowly.length()) {
                    try {
                        int end = Math.min(slowly.length(), next + bytes);
                        out.write(slowly.substring(next, end).getBytes(StandardCharsets.US_ASCII));
                        next = end;
                        out.flush();
                    } catch (IOException closed) {
                        next = slowly.length();
                    }
                }
                try {
                    byte[] buffer = new byte[4096];
                    int n = in.read(buffer);
                    if (n < 0) {
                        return answer.toString();
                    }
                    answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                } catch (SocketTimeoutException quiet) {
                    // nothing yet: drip on
                } catch (IOException reset) {
                    return answer.toString();
                }
            }
            return answer.toString();
        }
    }
}
