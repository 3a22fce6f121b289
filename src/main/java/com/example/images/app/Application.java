package com.example.images.app;

import com.example.images.apidocs.ApiDocsRoutes;
import com.example.images.auth.ApiTokens;
import com.example.images.auth.BearerAuth;
import com.example.images.catalog.CatalogState;
import com.example.images.catalog.DemoCatalog;
import com.example.images.db.ConnectionGate;
import com.example.images.db.Database;
import com.example.images.db.DatabaseUrl;
import com.example.images.db.EmbeddedDatabase;
import com.example.images.db.Transactions;
import com.example.images.gallery.GalleryBatcher;
import com.example.images.gallery.GalleryCache;
import com.example.images.gallery.GalleryChangeListener;
import com.example.images.gallery.GalleryFastPath;
import com.example.images.gallery.GalleryRepository;
import com.example.images.gallery.GalleryRoutes;
import com.example.images.gallery.GalleryService;
import com.example.images.health.HealthRoutes;
import com.example.images.health.Readiness;
import com.example.images.http.Cors;
import com.example.images.http.HttpServer;
import com.example.images.http.JsonBody;
import com.example.images.metrics.Metrics;
import com.example.images.metrics.MetricsRoutes;
import com.example.images.product.FieldRules;
import com.example.images.product.ProductRepository;
import com.example.images.product.ProductRoutes;
import com.example.images.product.ProductWrites;
import com.example.images.web.Assets;
import com.example.images.web.PageRoutes;
import com.example.images.web.PlaceholderRoutes;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: settings → database → migrations → repositories → routes → server.
 * Closing it stops everything it started, in reverse order; closing twice is harmless.
 */
public final class Application implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Application.class);

    private final EmbeddedDatabase embedded;
    private final HikariDataSource pool;
    private final ConnectionGate gate;
    private final GalleryBatcher reads;
    private final GalleryChangeListener listener;
    private final Metrics metrics;
    private final Readiness readiness;
    private final GalleryService galleries;
    private final Javalin server;
    private final Settings.ShutdownSettings shutdown;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Application(EmbeddedDatabase embedded, HikariDataSource pool, ConnectionGate gate, GalleryBatcher reads,
                        GalleryChangeListener listener, Metrics metrics, Readiness readiness,
                        GalleryService galleries, Javalin server, Settings.ShutdownSettings shutdown) {
        this.embedded = embedded;
        this.pool = pool;
        this.gate = gate;
        this.reads = reads;
        this.listener = listener;
        this.metrics = metrics;
        this.readiness = readiness;
        this.galleries = galleries;
        this.server = server;
        this.shutdown = shutdown;
    }

    public static Application start(Settings settings) throws Exception {
        return start(settings, System.out);
    }

    /** As {@link #start(Settings)}; {@code console} gets the one line with a generated demo write token. */
    public static Application start(Settings settings, PrintStream console) throws Exception {
        EmbeddedDatabase embedded = null;
        HikariDataSource pool = null;
        GalleryChangeListener listener = null;
        ConnectionGate database = null;
        GalleryBatcher reads = null;
        var metrics = new Metrics();
        try {
            DatabaseUrl url;
            if (settings.databaseUrl().isPresent()) {
                url = settings.databaseUrl().get();
            } else {
                embedded = EmbeddedDatabase.start(settings.dataDir(), 0);
                url = embedded.url();
                log.info("Started the embedded PostgreSQL in {} on port {}", settings.dataDir().toAbsolutePath(), embedded.port());
            }
            Database.migrate(url);
            pool = Database.pool(url, settings.poolSize(), settings.dbTimeout(), "images", metrics.registry());
            CatalogState.requireServable(pool);
            if (settings.demoData()) {
                new DemoCatalog(pool, settings.imageUrls()).fillIfEmpty();
            }
            // Request work borrows through the gate; readiness and the demo fill use the pool directly.
            // Each open connection has at most one request in flight, so as many may wait: a short
            // stall (a full GC) then queues requests instead of turning them into 503s. The gallery
            // readers' connections are reserved, so writes queued on a row lock never starve reads.
            database = new ConnectionGate(pool, settings.poolSize(), settings.galleryReaders(), HttpServer.MAX_CONNECTIONS,
                    settings.dbQueueTimeout());
            metrics.monitor(database);
            var repository = new GalleryRepository(database);
            var cache = new GalleryCache(settings.cache().maxBytes(), settings.cache().ttl());
            metrics.monitor(cache);
            listener = new GalleryChangeListener(url, cache, settings.cache().stalenessBound()).start(settings.dbTimeout());
            reads = new GalleryBatcher(repository, database.reserved(), settings.galleryReaders(), HttpServer.MAX_CONNECTIONS);
            metrics.monitor(reads);
            var galleries = new GalleryService(reads, cache, listener);
            var readiness = new Readiness(pool);
            ApiTokens tokens = settings.apiTokens();
            String demoToken = null;
            if (tokens.isEmpty() && settings.embeddedDemo()) {
                demoToken = ApiTokens.generate();
                tokens = tokens.plus(demoToken);
            }
            var products = new ProductRepository(database);
            // Drops this instance's cached copy at once; other instances hear the products trigger's NOTIFY.
            var writes = new ProductWrites(new Transactions(database), products, repository, galleries::changed);
            var assets = new Assets("gallery.js", "page.css");
            var cors = new Cors(List.of("/api/", "/img/", "/assets/"));
            var fastPath = new GalleryFastPath(galleries, cors, readiness::draining, metrics);
            Javalin server = HttpServer.create(settings.host(), settings.port(), fastPath, List.of(
                    cors,
                    new GalleryRoutes(galleries),
                    new ProductRoutes(writes, products, new BearerAuth(tokens), new JsonBody(),
                            new FieldRules(settings.allowPrivateImageHosts())),
                    new ApiDocsRoutes(),
                    new PageRoutes(repository, assets),
                    new PlaceholderRoutes(),
                    assets,
                    new HealthRoutes(readiness),
                    new MetricsRoutes(metrics)), metrics::request, metrics, settings.shutdown().drainTimeout(),
                    settings.requestHeadTimeout());
            server.start();
            log.info("Serving on http://{}:{}/ (database {})", settings.host(), server.port(), url.display());
            if (demoToken != null) {
                // Printed, never logged: this console line is the only place the token appears.
                console.println("Demo write token: " + demoToken);
                console.flush();
            } else if (tokens.isEmpty()) {
                log.info("No API token configured: writes answer 403 (set IMAGES_API_TOKENS or --api-tokens-file)");
            }
            return new Application(embedded, pool, database, reads, listener, metrics, readiness, galleries, server,
                    settings.shutdown());
        } catch (Exception | Error e) {
            if (listener != null) {
                listener.close();
            }
            if (reads != null) {
                reads.close();
            }
            if (database != null) {
                database.close();
            }
            if (pool != null) {
                pool.close();
            }
            metrics.close();
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** Every registered route as "METHOD /path", for checking the API document. */
    public List<String> endpoints() {
        return HttpServer.endpoints(server);
    }

    /**
     * How Jetty runs a request's handler: {@code NON_BLOCKING} lets it answer a cache hit on the
     * thread that read the request ({@code GalleryFastPath}); anything blocking in the handler
     * chain would make every request a hand-off to another thread.
     */
    public Invocable.InvocationType requestInvocationType() {
        return server.jettyServer().server().getInvocationType();
    }

    public GalleryService galleries() {
        return galleries;
    }

    public Readiness readiness() {
        return readiness;
    }

    /**
     * Stops gracefully: readiness turns red; for the drain delay requests are still served, each
     * keep-alive connection closing after its next response, so balancers move on; then the
     * listener closes and requests in flight get up to the drain timeout to finish (Jetty's
     * graceful stop); only then do the pool and the embedded database go.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Draining: readiness is red; serving for {} ms more, then up to {} ms for requests in flight",
                shutdown.drainDelay().toMillis(), shutdown.drainTimeout().toMillis());
        readiness.startDraining();
        try {
            Thread.sleep(shutdown.drainDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.stop();
        } catch (RuntimeException e) {
            // Jetty's graceful stop timed out: the requests still running are cut, the rest goes on.
            log.warn("Requests still in flight after {} ms were cut off: {}", shutdown.drainTimeout().toMillis(),
                    e.getMessage());
        }
        listener.close();
        reads.close();
        gate.close();
        pool.close();
        metrics.close();
        if (embedded != null) {
            embedded.close();
        }
        log.info("Stopped");
    }
}
