package com.example.images.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Http;
import com.example.images.support.TestApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Request metrics keep a bounded set of series whatever methods clients invent. */
class MethodLabelTest {

    private static final Pattern METHOD = Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*method=\"([^\"]*)\"");
    private static final Pattern OTHER = Pattern.compile(
            "(?m)^http_server_requests_seconds_count\\{[^}]*method=\"OTHER\"[^}]*} ([0-9.eE+]+)");

    private final Http http = TestApp.http();

    @Test
    void invented_methods_are_counted_under_one_label_not_one_series_each() throws IOException {
        double before = others(http.get("/metrics").body());

        for (int i = 0; i < 50; i++) {
            assertThat(send("INVENTED" + i + "X".repeat(500) + " /health/live")).startsWith("HTTP/1.1 405");
        }
        String metrics = http.get("/metrics").body();

        var methods = new TreeSet<String>();
        METHOD.matcher(metrics).results().forEach(m -> methods.add(m.group(1)));
        assertThat(methods).isSubsetOf(Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"));
        assertThat(others(metrics) - before).as(metrics.lines().filter(l -> l.contains("method=\"OTHER")).toList().toString())
                .isEqualTo(50.0);
    }

    private static double others(String metrics) {
        return OTHER.matcher(metrics).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
    }

    private static String send(String requestLine) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", TestApp.shared().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
