package com.example.images.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.RequestLogger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/** Javalin 7 on Jetty 12 with virtual threads, with our error mapping and request log. */
public final class HttpServer {

    /** Request lines up to this size reach the routes, so a long bad id gets a 400, not a 431. */
    static final int MAX_REQUEST_HEADER_BYTES = 32 * 1024;

    /**
     * Open connections accepted at once; further clients wait in the listen backlog until one
     * closes. A load generator that opened 20,000 connections filled the 192 MiB heap with
     * connection state and requests in flight (OutOfMemoryError); a balancer needs a few dozen.
     */
    public static final int MAX_CONNECTIONS = 1000;

    /**
     * While {@link #MAX_CONNECTIONS} are open, idle keep-alive connections are closed after this
     * long instead of Jetty's 30 s, so that a client waiting in the accept queue gets a slot instead
     * of waiting behind keep-alive connections nobody uses (Jetty's own connection-limit module
     * suggests 1 s too). It does not free slots from a client that keeps them all busy.
     */
    static final Duration LIMITED_IDLE_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Connections the kernel completes while none is accepted yet. Java's default of 50 dropped
     * the SYNs of a client that opened a few hundred connections at once, and each of those
     * requests then waited out TCP's 1 s retransmission (Gatling at 5,000 req/s: a 1 s p99 for
     * the second it started its measured scenario). Linux caps it at net.core.somaxconn.
     */
    static final int ACCEPT_QUEUE = 1024;

    /**
     * The least a request body must average, in bytes per second from when the route first asks
     * for it, checked each time it asks for more after {@link #MIN_REQUEST_DATA_RATE_GRACE}
     * ({@link MinimumRequestDataRate}); slower, the client gets a 408. One byte every 8 s of a POST
     * body held a connection open past 50 s. A 64 KB body meets it at any link speed above 8 kbit/s.
     */
    public static final long MIN_REQUEST_DATA_RATE = 1024;

    /** How long a request body may arrive at any rate before {@link #MIN_REQUEST_DATA_RATE} applies. */
    static final Duration MIN_REQUEST_DATA_RATE_GRACE = Duration.ofSeconds(2);

    /** The default of {@code --request-head-timeout-ms}: see {@link HeadDeadline}. */
    public static final Duration REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);

    private HttpServer() {
    }

    /**
     * The server; {@code fastPath} sees every request first and passes on what it does not
     * answer itself; {@code stopTimeout} bounds how long stopping waits for requests in flight
     * (Jetty's graceful stop: the listener closes first, then open connections finish their
     * current request with {@code Connection: close}); {@code metrics} counts the requests Jetty
     * refuses before routing, which {@code observer} never sees; a request head must arrive
     * complete within {@code headTimeout} of its first byte.
     */
    public static Javalin create(String host, int port, Handler.Wrapper fastPath, List<Routes> features,
                                 RequestLogger observer, RequestMetrics metrics, Duration stopTimeout,
                                 Duration headTimeout) {
        return Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.prefer405over404 = true;
            config.http.generateEtags = false;
            // Bodies are small JSON documents; JsonBody checks the same limit for a precise 413.
            config.http.maxRequestSize = JsonBody.MAX_BYTES;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.host = host;
            config.jetty.port = port;
            config.startup.showJavalinBanner = false;
            // Galleries and assets carry precompressed bytes of their own; nothing else is worth it.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.requestLogger.http(observer);
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
                // Jetty's default per-connection header cache is a 96 KB trie: under a burst of
                // new connections it was most of the heap, and it made no measurable difference to
                // throughput with 64 keep-alive connections (wrk, Zipf: 21.5k vs 21.9k req/s).
                http.setHeaderCacheSize(0);
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JettyProblemErrorHandler(metrics));
                server.setRequestLog(new AccessLog());
                server.setStopTimeout(stopTimeout.toMillis());
                var limit = new NetworkConnectionLimit(MAX_CONNECTIONS, server);
                limit.setEndPointIdleTimeout(LIMITED_IDLE_TIMEOUT.toMillis());
                server.addBean(limit);
                // Javalin adds its connector after this runs; it is configured before it binds.
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle event) {
                        for (var connector : server.getConnectors()) {
                            if (connector instanceof ServerConnector network) {
                                network.setAcceptQueueSize(ACCEPT_QUEUE);
                                var http1 = network.getConnectionFactory(HttpConnectionFactory.class);
                                network.removeConnectionFactory(http1.getProtocol());
                                network.addConnectionFactory(new HeadDeadline(http1.getHttpConfiguration(), headTimeout, metrics));
                            }
                        }
                    }
                });
                // Javalin attaches its servlet context inside the innermost wrapper, behind these.
                // Inside the fast path, whose gallery GETs have no body to read.
                server.insertHandler(new MinimumRequestDataRate(MIN_REQUEST_DATA_RATE, MIN_REQUEST_DATA_RATE_GRACE));
                server.insertHandler(fastPath);
                server.insertHandler(new ProtocolGuard());
            });
            new ErrorMapping().addTo(config.routes);
            new PagePolicy().addTo(config.routes);
            features.forEach(feature -> feature.addTo(config.routes));
        });
    }

    /** Every registered route as "METHOD /path/{param}", for checking the API document against. */
    public static List<String> endpoints(Javalin server) {
        return server.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> endpoint.method.name().toUpperCase(Locale.ROOT) + " " + endpoint.path)
                .sorted()
                .toList();
    }
}
