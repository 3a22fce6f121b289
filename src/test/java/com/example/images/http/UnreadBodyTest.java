package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Fixtures;
import com.example.images.support.TestApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * An error answered before the request body was read: the server reads what is left of a body
 * up to {@link UnreadBody#AT_MOST} first, so the client reads the answer instead of a reset and
 * the connection serves the next request; past that, or when the client waits for
 * {@code 100 Continue}, it answers at once without asking for the body.
 */
class UnreadBodyTest {

    private static final String NEXT = "GET /health/live HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void a_body_over_the_limit_is_read_before_the_413_and_the_connection_serves_the_next_request() throws Exception {
        var product = fixtures.product("Drained", 0);
        String body = "{\"name\": \"too big\"}" + " ".repeat(JsonBody.MAX_BYTES);

        String answers = sendBodyLate(patch(product.id(), true, "Content-Length: " + body.length(), ""), body + NEXT);

        assertThat(answers).startsWith("HTTP/1.1 413 ").contains("application/problem+json");
        assertThat(head(answers)).doesNotContainIgnoringCase("Connection: close");
        assertThat(answers).contains("HTTP/1.1 200 ");
    }

    @Test
    void a_chunked_body_over_the_limit_is_read_to_its_end_before_the_413() {
        var product = fixtures.product("Drained chunks", 0);
        String answers = TestApp.http().exchange(patch(product.id(), true, "Transfer-Encoding: chunked", chunked(50 * 4096)) + NEXT);

        assertThat(answers).startsWith("HTTP/1.1 413 ");
        assertThat(answers).contains("HTTP/1.1 200 ");
    }

    @Test
    void every_error_answer_reads_the_body_first_not_only_the_413() {
        var product = fixtures.product("Drained refusal", 0);
        String body = "{\"name\": \"no token\"}" + " ".repeat(200_000);

        String answers = TestApp.http().exchange(patch(product.id(), false, "Content-Length: " + body.length(), body) + NEXT);

        assertThat(answers).startsWith("HTTP/1.1 401 ");
        assertThat(answers).contains("HTTP/1.1 200 ");
    }

    @Test
    void a_body_declared_larger_than_the_server_reads_is_refused_at_once_and_the_connection_closed() {
        var product = fixtures.product("Not drained", 0);

        // Only the head is sent: were the server to wait for the body, this would time out.
        String answer = TestApp.http().exchange(patch(product.id(), true, "Content-Length: " + (UnreadBody.AT_MOST + 1), ""));

        assertThat(answer).startsWith("HTTP/1.1 413 ");
        assertThat(head(answer)).containsIgnoringCase("Connection: close");
    }

    @Test
    void a_client_waiting_for_100_continue_gets_the_413_instead_and_is_never_asked_for_the_body() {
        var product = fixtures.product("Expecting", 0);

        String answer = TestApp.http().exchange(patch(product.id(), true,
                "Content-Length: 100000\r\nExpect: 100-continue\r\nConnection: close", ""));

        assertThat(answer).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
    }

    /** Sends the head, then the rest once the server has had time to answer without the body. */
    private static String sendBodyLate(String head, String rest) throws IOException, InterruptedException {
        try (Socket socket = new Socket("127.0.0.1", TestApp.shared().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(300);
            out.write(rest.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_client_asked_for_its_body_after_100_continue_has_it_read_before_the_413() throws Exception {
        var product = fixtures.product("Continued", 0);
        String head = patch(product.id(), true, "Transfer-Encoding: chunked\r\nExpect: 100-continue", "");

        try (Socket socket = new Socket("127.0.0.1", TestApp.shared().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] interim = new byte["HTTP/1.1 100 Continue\r\n\r\n".length()];
            socket.getInputStream().readNBytes(interim, 0, interim.length);
            assertThat(new String(interim, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 100 ");
            out.write((chunked(50 * 4096) + NEXT).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answers).startsWith("HTTP/1.1 413 ");
            assertThat(answers).contains("HTTP/1.1 200 ");
        }
    }

    @Test
    void a_client_that_stops_sending_a_refused_body_gets_the_answer_after_the_drain_bound_not_the_idle_timeout()
            throws Exception {
        var product = fixtures.product("Stalled", 0);
        String head = patch(product.id(), false, "Content-Length: 100000", " ".repeat(10_000));

        try (Socket socket = new Socket("127.0.0.1", TestApp.shared().port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            byte[] status = socket.getInputStream().readNBytes(12);

            assertThat(new String(status, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 401");
            // Jetty's idle timeout is 30 s; a read while draining waits at most UnreadBody.FOR_AT_MOST.
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(15));
        }
    }

    private static String chunked(int bytes) {
        var chunks = new StringBuilder();
        for (int sent = 0; sent < bytes; sent += 4096) {
            chunks.append(Integer.toHexString(4096)).append("\r\n").append(" ".repeat(4096)).append("\r\n");
        }
        return chunks.append("0\r\n\r\n").toString();
    }

    private static String patch(long productId, boolean authorised, String framing, String body) {
        return "PATCH /api/products/" + productId + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                + (authorised ? "Authorization: Bearer " + TestApp.TOKEN + "\r\n" : "")
                + framing + "\r\n\r\n" + body;
    }

    private static String head(String answers) {
        return answers.substring(0, answers.indexOf("\r\n\r\n"));
    }
}
