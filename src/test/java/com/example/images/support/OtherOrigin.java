package com.example.images.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A second web server on its own port: a page of "another service" that embeds the widget.
 * It serves only the HTML pages the test gives it; everything else is a 404.
 */
public final class OtherOrigin implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> pages = new ConcurrentHashMap<>();

    public OtherOrigin() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                String html = pages.get(exchange.getRequestURI().getPath());
                byte[] body = (html == null ? "not found" : html).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", html == null ? "text/plain" : "text/html; charset=utf-8");
                exchange.sendResponseHeaders(html == null ? 404 : 200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    /**
     * The origin as {@code localhost}, while the service is addressed as {@code 127.0.0.1}:
     * different host names as well as different ports.
     */
    public String base() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Serves {@code html} at {@code path} and returns the page's full URL. */
    public String page(String path, String html) {
        pages.put(path, html);
        return base() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
