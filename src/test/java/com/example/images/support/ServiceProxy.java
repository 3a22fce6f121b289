package com.example.images.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test-side HTTP proxy in front of the real service, on its own port (so its own origin).
 * Everything is forwarded unchanged, except that API requests ({@code /api/...}) or media
 * requests ({@code /media/...}) can be held until the test releases them, and API requests
 * answered with 503 a given number of times: the slow and failing networks a browser sees, with
 * the real service behind them. {@link #withoutSources()} makes it serve the gallery JSON as it was
 * before responsive images, for measurements against today's one-URL page.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final List<String> FORWARDED_HEADERS = List.of(
            "Content-Type", "Cache-Control", "ETag", "Vary", "Access-Control-Allow-Origin", "Retry-After");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String target;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<CountDownLatch> apiGate = new AtomicReference<>(new CountDownLatch(0));
    private final AtomicReference<CountDownLatch> mediaGate = new AtomicReference<>(new CountDownLatch(0));
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger apiRequests = new AtomicInteger();
    private volatile boolean withoutSources;

    public ServiceProxy(String target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Holds every API request from now on until the returned latch is counted down. */
    public CountDownLatch holdApi() {
        return hold(apiGate);
    }

    /** Holds every media request (image bytes) from now on until the returned latch is counted down. */
    public CountDownLatch holdMedia() {
        return hold(mediaGate);
    }

    private static CountDownLatch hold(AtomicReference<CountDownLatch> gate) {
        var latch = new CountDownLatch(1);
        gate.set(latch);
        return latch;
    }

    /**
     * Removes {@code sources} from every image in the API's JSON from now on, so the widget shows
     * each image's one {@code url} (and {@code thumbnailUrl}), as it does for images without renditions.
     */
    public ServiceProxy withoutSources() {
        withoutSources = true;
        return this;
    }

    /** Answers the next {@code times} API requests with 503 instead of forwarding them. */
    public void failApi(int times) {
        failuresLeft.set(times);
    }

    /** How many API requests arrived, answered or not. */
    public int apiRequests() {
        return apiRequests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/api/")) {
                apiRequests.incrementAndGet();
                pass(apiGate);
                if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    byte[] body = """
                            {"type":"about:blank","title":"Service Unavailable","status":503,"detail":"injected by the test proxy"}"""
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
                    exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
                    exchange.sendResponseHeaders(503, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
            }
            if (path.startsWith("/media/")) {
                pass(mediaGate);
            }
            forward(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pass(AtomicReference<CountDownLatch> gate) throws IOException, InterruptedException {
        if (!gate.get().await(60, TimeUnit.SECONDS)) {
            throw new IOException("the test never released the held request");
        }
    }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI().getRawPath()))
                .timeout(Duration.ofSeconds(20))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        for (String name : FORWARDED_HEADERS) {
            response.headers().firstValue(name).ifPresent(value -> exchange.getResponseHeaders().set(name, value));
        }
        byte[] body = response.body();
        if (withoutSources && exchange.getRequestURI().getRawPath().startsWith("/api/") && response.statusCode() == 200) {
            body = bodyWithoutSources(body);
            exchange.getResponseHeaders().remove("ETag");
        }
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] bodyWithoutSources(byte[] body) throws IOException {
        JsonNode json = JSON.readTree(body);
        for (JsonNode image : json.path("images")) {
            ((ObjectNode) image).remove("sources");
        }
        return JSON.writeValueAsBytes(json);
    }

    @Override
    public void close() {
        apiGate.get().countDown();
        mediaGate.get().countDown();
        server.stop(0);
    }
}
