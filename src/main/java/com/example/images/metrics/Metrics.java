package com.example.images.metrics;

import com.example.images.db.ConnectionGate;
import com.example.images.gallery.GalleryBatcher;
import com.example.images.gallery.GalleryCache;
import com.example.images.http.RequestMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The service's Prometheus registry: HTTP requests per route and status with a latency
 * histogram, the gallery cache, the connection pool (bound by HikariCP) and the JVM.
 */
public final class Metrics implements RequestMetrics, AutoCloseable {

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
    };

    private record Key(String method, String route, int status) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<ConnectionGate> gates = new CopyOnWriteArrayList<>();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void monitor(GalleryCache cache) {
        CaffeineCacheMetrics.monitor(registry, cache.caffeine(), "galleries");
        FunctionCounter.builder("cache.admissions.refused", cache, GalleryCache::refusedAdmissions)
                .tag("cache", "galleries")
                .description("misses read through without being cached: the cache was full and the product had not missed recently")
                .register(registry);
    }

    /** Requests the connection gates turned away (fast 503s) and those waiting in them, over all the gates. */
    public void monitor(ConnectionGate... monitored) {
        // Held here: Micrometer keeps only a weak reference to what a meter reads.
        gates.addAll(List.of(monitored));
        FunctionCounter.builder("db_gate_rejected", gates, all -> all.stream().mapToLong(ConnectionGate::rejected).sum())
                .description("Requests refused a database connection without waiting the pool's timeout")
                .register(registry);
        Gauge.builder("db_gate_queued", gates, all -> all.stream().mapToInt(ConnectionGate::queued).sum())
                .description("Requests waiting for a free database connection")
                .register(registry);
    }

    /** Gallery reads: queries, the products they read (their ratio is the batch size) and requests waiting. */
    public void monitor(GalleryBatcher reads) {
        FunctionCounter.builder("gallery_read_queries", reads, GalleryBatcher::batches)
                .description("Gallery queries sent to the database; each reads the galleries of every request waiting")
                .register(registry);
        FunctionCounter.builder("gallery_read_products", reads, GalleryBatcher::products)
                .description("Products read by those queries")
                .register(registry);
        FunctionCounter.builder("gallery_read_queries_on_primary", reads, GalleryBatcher::fromPrimary)
                .description("Gallery queries sent to the primary because the replica read had not replayed what they must see")
                .register(registry);
        Gauge.builder("gallery_read_queued", reads, GalleryBatcher::queued)
                .description("Requests waiting for a gallery query")
                .register(registry);
    }

    /** Records one finished request under its route template, so ids do not explode the series. */
    public void request(Context ctx, float millis) {
        String route;
        try {
            // The HTTP endpoint that matched; ctx.endpoint() is the handler running last, here the "*" before-handler.
            var matched = ctx.endpoints().matchedHttpEndpoint();
            route = matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException notRouted) {
            route = "unmatched";
        }
        record(ctx.method().name(), route, ctx.statusCode(), (long) (millis * 1_000_000L));
    }

    @Override
    public void record(String method, String route, int status, long nanos) {
        timers.computeIfAbsent(new Key(methodLabel(method), route, status), k -> Timer.builder("http_server_requests")
                        .description("HTTP requests by method, route template and status")
                        .tag("method", k.method()).tag("route", k.route()).tag("status", String.valueOf(k.status()))
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The method as a label: the ones this service knows, or OTHER. Jetty accepts any token as
     * a method, and a series per invented method once filled the heap (2,000 requests with
     * 2,000-character methods, no token needed, and /metrics failed with OutOfMemoryError).
     */
    static String methodLabel(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" -> method;
            default -> "OTHER";
        };
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
