package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.images.support.Fixtures;
import com.example.images.support.TestApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Write bodies that cannot be read to the end: the client gets a 400 problem, the product is
 * unchanged, and nothing is logged as a server error.
 */
class UnreadableBodyTest {

    private final Fixtures fixtures = Fixtures.shared();
    private final Logger errors = (Logger) LoggerFactory.getLogger(ErrorMapping.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        errors.addAppender(logged);
    }

    @AfterEach
    void noServerError() {
        errors.detachAppender(logged);
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.ERROR)
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    static Stream<Arguments> unreadableBodies() {
        return Stream.of(
                Arguments.of("cut short", "Content-Length: 40\r\n\r\n{\"name\": \"never arr"),
                Arguments.of("badly chunked", "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"nam\r\nzz\r\nbroken\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableBodies")
    void a_body_that_cannot_be_read_to_the_end_is_400_and_changes_nothing(String what, String framingAndBody)
            throws IOException {
        var product = fixtures.product("Unreadable " + what, 1);

        String response = send(product.id(), framingAndBody);

        assertThat(response).startsWith("HTTP/1.1 400 ").contains("application/problem+json")
                .contains("could not be read");
        assertThat(TestApp.http().get("/api/products/" + product.id()).body())
                .contains("\"name\":\"Unreadable " + what + "\"");
    }

    /** A PATCH of the product's name whose framing and body are {@code rest}; the client then stops sending. */
    private static String send(long productId, String rest) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", TestApp.shared().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH /api/products/" + productId + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TestApp.TOKEN + "\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\n" + rest).getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
