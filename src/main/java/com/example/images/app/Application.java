package com.example.images.app;

import com.example.images.apidocs.ApiDocsRoutes;
import com.example.images.auth.ApiTokens;
import com.example.images.auth.BearerAuth;
import com.example.images.catalog.CatalogState;
import com.example.images.seed.DemoCatalog;
import com.example.images.db.ConnectionGate;
import com.example.images.db.Database;
import com.example.images.db.DatabaseUrl;
import com.example.images.db.EmbeddedDatabase;
import com.example.images.db.ReplicaFreshness;
import com.example.images.db.Transactions;
import com.example.images.gallery.GalleryBatcher;
import com.example.images.gallery.GalleryCache;
import com.example.images.gallery.GalleryChangeListener;
import com.example.images.gallery.GalleryEndpoint;
import com.example.images.gallery.GalleryFastPath;
import com.example.images.gallery.GalleryLookup;
import com.example.images.gallery.GalleryRepository;
import com.example.images.gallery.GalleryService;
import com.example.images.health.HealthRoutes;
import com.example.images.health.Readiness;
import com.example.images.http.Cors;
import com.example.images.http.HttpServer;
import com.example.images.http.JsonBody;
import com.example.images.media.BlobStore;
import com.example.images.media.FileBlobStore;
import com.example.images.media.ImageProcessor;
import com.example.images.media.MediaRoutes;
import com.example.images.media.MediaWorker;
import com.example.images.media.ProcessingSettings;
import com.example.images.media.S3BlobStore;
import com.example.images.media.VipsCliProcessor;
import com.example.images.metrics.Metrics;
import com.example.images.metrics.MetricsRoutes;
import com.example.images.product.DemoPhotos;
import com.example.images.product.FieldRules;
import com.example.images.product.ImageUploads;
import com.example.images.product.ProductRepository;
import com.example.images.product.ProductRoutes;
import com.example.images.product.ProductWrites;
import com.example.images.web.Assets;
import com.example.images.web.PageRoutes;
import com.example.images.web.PlaceholderRoutes;
import io.javalin.Javalin;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root, in two halves: {@link #infrastructure} starts what the routes run on
 * (database, pools, change listener, batcher, cache, metrics) and hands each resource to one
 * {@link Closer}; {@link #routes} builds the HTTP server over those services, and a test may
 * call it with fakes. Closing stops everything in reverse order; closing twice is harmless.
 */
public final class Application implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Application.class);

    /**
     * What the routes run on: built by {@link #infrastructure} over PostgreSQL, or by a test from
     * fakes.
     *
     * @param galleries the public gallery read (cache first, then the database)
     * @param pages     the uncached reads: product pages, the merchant's product view, a ready image's renditions
     * @param tokens    the bearer tokens writes accept
     * @param blobs     the media store: uploaded originals and their renditions
     * @param images    libvips, or the reason uploads are off
     * @param freshness with replicas, the WAL positions reads must see (writes answer theirs)
     */
    public record Services(GalleryLookup galleries, GalleryRepository pages, ProductRepository products,
                           ProductWrites writes, FieldRules rules, ApiTokens tokens, Readiness readiness,
                           Metrics metrics, BlobStore blobs, ImageProcessor images,
                           com.example.images.product.ImageUploads uploads, ReplicaFreshness freshness) {

        /** Services that take image URLs only: uploads answer 503. */
        public Services(GalleryLookup galleries, GalleryRepository pages, ProductRepository products,
                        ProductWrites writes, FieldRules rules, ApiTokens tokens, Readiness readiness,
                        Metrics metrics, BlobStore blobs, ImageProcessor images) {
            this(galleries, pages, products, writes, rules, tokens, readiness, metrics, blobs, images, null,
                    ReplicaFreshness.none());
        }
    }

    private final Closer infrastructure;
    private final Readiness readiness;
    private final Javalin server;
    private final Settings.ShutdownSettings shutdown;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Application(Closer infrastructure, Readiness readiness, Javalin server, Settings.ShutdownSettings shutdown) {
        this.infrastructure = infrastructure;
        this.readiness = readiness;
        this.server = server;
        this.shutdown = shutdown;
    }

    public static Application start(Settings settings) throws Exception {
        return start(settings, System.out);
    }

    /** As {@link #start(Settings)}; {@code console} gets the one line with a generated demo write token. */
    public static Application start(Settings settings, PrintStream console) throws Exception {
        return start(settings, console, VipsCliProcessor::new);
    }

    /** As {@link #start(Settings, PrintStream)}, with this libvips (a test's that cannot find it, for one). */
    public static Application start(Settings settings, PrintStream console,
                                    Function<ProcessingSettings, ImageProcessor> libvips) throws Exception {
        ApiTokens tokens = settings.apiTokens();
        String demoToken = tokens.isEmpty() && settings.embeddedDemo() ? ApiTokens.generate() : null;
        if (demoToken != null) {
            tokens = tokens.plus(demoToken);
        }
        var closer = new Closer();
        try {
            List<Runnable> afterStart = new ArrayList<>();
            Services services = infrastructure(settings, tokens, closer, libvips, afterStart);
            Javalin server = routes(services, settings.host(), settings.port(), settings.shutdown().drainTimeout(),
                    settings.requestHeadTimeout());
            server.start();
            afterStart.forEach(Runnable::run);
            log.info("Serving on http://{}:{}/ (database {})", settings.host(), server.port(), databaseShown(settings));
            if (demoToken != null) {
                // Printed, never logged: this console line is the only place the token appears.
                console.println("Demo write token: " + demoToken);
                console.flush();
            } else if (tokens.isEmpty()) {
                log.info("No API token configured: writes answer 403 (set IMAGES_API_TOKENS or --api-tokens-file)");
            }
            return new Application(closer, services.readiness(), server, settings.shutdown());
        } catch (Exception | Error e) {
            closer.close();
            throw e;
        }
    }

    private static String databaseShown(Settings settings) {
        return settings.databaseUrl().map(DatabaseUrl::display).orElse("embedded, in " + settings.dataDir());
    }

    /**
     * Starts the database side in order (embedded PostgreSQL, metrics, migrations, pools, gates,
     * cache, change listener, batcher), then the media store, libvips and the media worker; each resource goes to
     * {@code closer} as soon as it is open.
     */
    static Services infrastructure(Settings settings, ApiTokens tokens, Closer closer,
                                   Function<ProcessingSettings, ImageProcessor> libvips, List<Runnable> afterStart)
            throws Exception {
        // First: its check (two libvips processes) runs while the database starts.
        ImageProcessor images = libvips.apply(settings.media().processing());
        DatabaseUrl url;
        if (settings.databaseUrl().isPresent()) {
            url = settings.databaseUrl().get();
        } else {
            EmbeddedDatabase embedded = closer.add(EmbeddedDatabase.startClosedByOwner(settings.dataDir(), 0));
            url = embedded.url();
            log.info("Started the embedded PostgreSQL in {} on port {}", settings.dataDir().toAbsolutePath(), embedded.port());
        }
        var metrics = closer.add(new Metrics());
        boolean primaryAnswered = Database.migrateOrCheckReplica(url);
        // --db-pool-size connections in all: --db-readers of them in the gallery readers' own pool.
        var pools = closer.add(Database.pools(url, settings.poolSize(), settings.galleryReaders(), settings.dbTimeout(),
                "images", metrics.registry()));
        // Without a primary the replicas tell whether the catalog is complete, and the demo waits for a restart.
        CatalogState.requireServable(primaryAnswered ? pools.requests() : pools.readers());
        boolean demoLoaded = settings.demoData() && primaryAnswered && new DemoCatalog(pools.requests(), settings.imageUrls()).fillIfEmpty();
        // Request work borrows through a gate; readiness and the demo fill use the pool directly.
        // Each open connection has at most one request in flight, so as many may wait: a short
        // stall (a full GC) then queues requests instead of turning them into 503s.
        var database = closer.add(new ConnectionGate(pools.requests(), pools.requests().getMaximumPoolSize(),
                HttpServer.MAX_CONNECTIONS, settings.dbQueueTimeout()));
        // The readers never queue in theirs (one connection each); it turns them away while the database is down.
        var readerGate = closer.add(new ConnectionGate("database connections of the gallery readers", pools.readers(),
                pools.readers().getMaximumPoolSize(), HttpServer.MAX_CONNECTIONS, settings.dbQueueTimeout()));
        metrics.monitor(database, readerGate);
        // With replicas: where the readers go when their replica lags; without, their own gate.
        var readersOnPrimary = pools.readersOnPrimary() == pools.readers() ? readerGate
                : closer.add(new ConnectionGate("database connections of the gallery readers on the primary",
                pools.readersOnPrimary(), pools.readersOnPrimary().getMaximumPoolSize(), HttpServer.MAX_CONNECTIONS,
                settings.dbQueueTimeout()));
        var repository = new GalleryRepository(database);
        var cache = new GalleryCache(settings.cache().maxBytes(), settings.cache().ttl());
        metrics.monitor(cache);
        // With replicas the readers' pool prefers them; what a read must see is checked there.
        var freshness = url.replicated() ? ReplicaFreshness.of(database, settings.maxReplicaLag()) : ReplicaFreshness.none();
        var listener = closer.add(new GalleryChangeListener(url, cache, settings.cache().stalenessBound(), freshness)
                .start(settings.dbTimeout()));
        var reads = closer.add(new GalleryBatcher(repository, readerGate, settings.galleryReaders(),
                HttpServer.MAX_CONNECTIONS, readersOnPrimary, freshness));
        metrics.monitor(reads);
        var galleries = new GalleryService(reads, cache, listener);
        var products = new ProductRepository(database);
        // Drops this instance's cached copy at once; other instances hear the products trigger's NOTIFY.
        var writes = new ProductWrites(new Transactions(database), products, repository, galleries::changed);
        BlobStore blobs = closer.add(mediaStore(settings));
        if (!images.available()) {
            // The one line that says so; uploads answer 503 with the same words.
            log.warn("{}", images.unavailableReason());
        }
        if (settings.media().worker()) {
            // After the pools and the store, so the Closer stops it first: an image in flight is
            // handed back while the database is still there (a kill -9 leaves it to the lease).
            // From the pool, not through the request gate: a claim that times out while requests
            // hold every connection would mark the database down for all of them (503s), as
            // WriteContentionTest showed when it went through the gate.
            closer.add(MediaWorker.start(new Transactions(pools.requests()), blobs, images,
                    settings.media().workerOptions()));
        }
        var uploads = new ImageUploads(new Transactions(database), blobs, images, settings.media().maxUploadBytes(), writes);
        if (demoLoaded && images.available()) {
            // In the background once the server is up, so painting them never delays the start.
            afterStart.add(() -> closer.add(DemoPhotos.start(uploads, writes)));
        }
        return new Services(galleries, repository, products, writes, new FieldRules(settings.allowPrivateImageHosts()),
                tokens, new Readiness(pools.requests(), pools::readersConnected, url.replicated()), metrics, blobs, images, uploads,
                freshness);
    }

    private static BlobStore mediaStore(Settings settings) throws java.io.IOException {
        var media = settings.media();
        if (media.s3().isPresent()) {
            return S3BlobStore.open(media.s3().get(), media.s3Endpoint());
        }
        return new FileBlobStore(settings.mediaDirectory());
    }

    /** The HTTP server over {@code services}, not yet started: every route, and the gallery fast path in front. */
    public static Javalin routes(Services services, String host, int port, Duration drainTimeout, Duration headTimeout) {
        var assets = new Assets("gallery.js", "page.css", "admin.js", "admin.css");
        var cors = new Cors(List.of("/api/", "/img/", "/assets/", "/media/"));
        var readiness = services.readiness();
        var gallery = new GalleryEndpoint(services.galleries(), cors, services.metrics());
        return HttpServer.create(host, port, new GalleryFastPath(gallery, readiness::draining), List.of(
                cors,
                new ProductRoutes(gallery, services.writes(), services.products(), services.pages(), new BearerAuth(services.tokens()), new JsonBody(),
                        services.rules(), services.uploads(), services.freshness()),
                new ApiDocsRoutes(),
                new PageRoutes(services.pages(), assets),
                new PlaceholderRoutes(),
                new MediaRoutes(services.blobs(), services.pages()::findRenditions),
                assets,
                new HealthRoutes(readiness),
                new MetricsRoutes(services.metrics())), services.metrics()::request, services.metrics(), drainTimeout,
                headTimeout);
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
        return requestInvocationType(server);
    }

    /** As {@link #requestInvocationType()}, for a server built by {@link #routes}. */
    public static Invocable.InvocationType requestInvocationType(Javalin server) {
        return server.jettyServer().server().getInvocationType();
    }

    public Readiness readiness() {
        return readiness;
    }

    /**
     * Stops gracefully: readiness turns red; for the drain delay requests are still served, each
     * keep-alive connection closing after its next response, so balancers move on; then the
     * listener closes and requests in flight get up to the drain timeout to finish (Jetty's
     * graceful stop); only then does the infrastructure close, in reverse order of its start.
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
        infrastructure.close();
        log.info("Stopped");
    }
}
