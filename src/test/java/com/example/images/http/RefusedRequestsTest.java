package com.example.images.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.read.ListAppender;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Requests Jetty refuses before any route sees them: counted, diagnosed, and logged in bounded lines. */
class RefusedRequestsTest {

    private static final Pattern REFUSED = Pattern.compile(
            "(?m)^http_server_requests_seconds_count\\{method=\"([^\"]*)\",route=\"refused\",status=\"(\\d+)\"} ([0-9.eE+]+)");

    private final Http http = TestApp.http();

    @Test
    void refusals_before_routing_are_counted_by_status_with_bounded_labels() {
        String before = http.get("/metrics").body();

        assertThat(http.exchange("GET /health/live HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(http.exchange("INVENTED" + "X".repeat(300) + " /health/live HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n"))
                .startsWith("HTTP/1.1 400 ");
        assertThat(http.exchange("GET /health/live HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(40_000) + "\r\n\r\n")).startsWith("HTTP/1.1 431 ");
        assertThat(http.exchange("GET /health/live HTTP/3.0\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 505 ");
        assertThat(http.exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).startsWith("HTTP/1.1 426 ");
        String after = http.get("/metrics").body();

        assertThat(count(after, "GET", 400) - count(before, "GET", 400)).isEqualTo(1);
        assertThat(count(after, "OTHER", 400) - count(before, "OTHER", 400)).as("an invented method").isEqualTo(1);
        assertThat(count(after, "GET", 431) - count(before, "GET", 431)).isEqualTo(1);
        assertThat(sum(after, 505) - sum(before, 505)).isEqualTo(1);
        assertThat(sum(after, 426) - sum(before, 426)).isEqualTo(1);
        assertThat(REFUSED.matcher(after).results().map(m -> m.group(1)))
                .allMatch(method -> method.equals("OTHER") || method.matches("GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS"));
    }

    @Test
    void a_content_length_too_large_to_read_is_diagnosed_as_such() {
        String answer = http.exchange("POST /api/products HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("The Content-Length header is too large a number")
                .doesNotContain("percent-encoding");
    }

    @Test
    void a_long_value_in_a_refused_request_makes_a_short_log_line() throws JoranException {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        var logged = new ListAppender<ILoggingEvent>();
        logged.start();
        root.addAppender(logged);
        try {
            assertThat(http.exchange("GET /health/live HTTP/1.1\r\nHost: a:" + "9".repeat(30_000) + "\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        } finally {
            root.detachAppender(logged);
        }
        ILoggingEvent warning = logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getFormattedMessage().contains("99999")).findFirst().orElseThrow();

        // The line as the service's own logback.xml writes it.
        var context = new LoggerContext();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(CutLogMessage.class.getResource("/logback.xml"));
        var console = (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        String line = new String(console.getEncoder().encode(warning), StandardCharsets.UTF_8);
        context.stop();

        assertThat(line.length()).as(line).isLessThan(CutLogMessage.MAX_CHARS + 200);
        assertThat(line).contains("chars)");
    }

    private static double count(String metrics, String method, int status) {
        return REFUSED.matcher(metrics).results()
                .filter(m -> m.group(1).equals(method) && m.group(2).equals(String.valueOf(status)))
                .mapToDouble(m -> Double.parseDouble(m.group(3))).sum();
    }

    private static double sum(String metrics, int status) {
        return REFUSED.matcher(metrics).results().filter(m -> m.group(2).equals(String.valueOf(status)))
                .mapToDouble(m -> Double.parseDouble(m.group(3))).sum();
    }

}
