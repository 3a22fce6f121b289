package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Past {@link HttpServer#MAX_CONNECTIONS} open connections, a new client waits; while it waits,
 * idle keep-alive connections are closed after {@link HttpServer#LIMITED_IDLE_TIMEOUT}.
 */
class ConnectionLimitTest {

    private static final byte[] READY = "GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void a_client_past_the_limit_is_served_once_idle_connections_are_shed() throws IOException {
        int port = TestApp.shared().port();
        List<Socket> open = new ArrayList<>();
        try {
            // Other tests' keep-alive clients may hold a few of the slots already.
            Socket waiting = null;
            while (waiting == null && open.size() <= HttpServer.MAX_CONNECTIONS) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write(READY);
                String answer = answerWithin(socket, 500);
                if (answer == null && open.size() >= HttpServer.MAX_CONNECTIONS - 100) {
                    waiting = socket;
                } else {
                    // A slow answer below the limit is a busy machine, not the limit.
                    assertThat(answer != null ? answer : answerWithin(socket, 10_000)).startsWith("HTTP/1.1 200");
                    open.add(socket);
                }
            }
            assertThat(waiting).as("a connection past the limit waits").isNotNull();
            assertThat(open.size()).isLessThanOrEqualTo(HttpServer.MAX_CONNECTIONS).isGreaterThan(HttpServer.MAX_CONNECTIONS - 100);

            // A burst of connects while none is accepted completes in the kernel's accept queue;
            // with Java's default backlog of 50, the SYNs past it were dropped and retried after 1 s.
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < HttpServer.ACCEPT_QUEUE / 2; i++) {
                    Socket socket = new Socket();
                    queued.add(socket);
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                }
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }

            // No client closes anything: the server sheds the idle connections, and the waiting one is served.
            int patienceMs = (int) HttpServer.LIMITED_IDLE_TIMEOUT.toMillis() + 10_000;
            assertThat(answerWithin(waiting, patienceMs)).startsWith("HTTP/1.1 200");
            assertThat(answerWithin(open.get(0), patienceMs)).as("an idle connection, closed by the server").isEmpty();
            open.add(waiting);
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    /** The first bytes of the response, or null if none came in time. */
    private static String answerWithin(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256];
        try {
            int n = in.read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
