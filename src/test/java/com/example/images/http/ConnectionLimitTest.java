package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Past {@link HttpServer#MAX_CONNECTIONS} open connections, a new client waits until one closes. */
class ConnectionLimitTest {

    private static final byte[] READY = "GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void a_client_past_the_limit_is_served_once_another_connection_closes() throws IOException {
        int port = TestApp.shared().port();
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < HttpServer.MAX_CONNECTIONS; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                open.add(socket);
                assertThat(answer(socket, 5_000)).startsWith("HTTP/1.1 200");
            }
            Socket extra = new Socket("127.0.0.1", port);
            open.add(extra);
            extra.getOutputStream().write(READY);
            assertThat(answerWithin(extra, 500)).isNull();

            open.remove(0).close();
            assertThat(answerWithin(extra, 5_000)).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    private static String answer(Socket socket, int timeoutMs) throws IOException {
        socket.getOutputStream().write(READY);
        return answerWithin(socket, timeoutMs);
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
