package com.example.images.cli;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code images serve}: the HTTP service. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve the gallery API, the product pages and the widget.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:IMAGES_PORT:-8080}",
            description = "HTTP port. (env: IMAGES_PORT, default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "${env:IMAGES_HOST:-127.0.0.1}",
            description = "Address to listen on; 0.0.0.0 for all. (env: IMAGES_HOST, default: ${DEFAULT-VALUE})")
    String host;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--no-demo-data", negatable = false,
            description = "Do not fill an empty database with the demo catalog of 1,000 products. "
                    + "(env: IMAGES_NO_DEMO_DATA=true, default: demo data on)")
    boolean noDemoData = Boolean.parseBoolean(System.getenv().getOrDefault("IMAGES_NO_DEMO_DATA", "false"));

    @Mixin
    ImageUrlOptions imageUrls;

    @Option(names = "--db-pool-size", paramLabel = "N", defaultValue = "${env:IMAGES_DB_POOL_SIZE:-8}",
            description = "Database connections in the pool. (env: IMAGES_DB_POOL_SIZE, default: ${DEFAULT-VALUE})")
    int poolSize;

    @Option(names = "--db-readers", paramLabel = "N", defaultValue = "${env:IMAGES_DB_READERS:-2}",
            description = "Gallery queries in flight at once, on connections reserved for them (at most --db-pool-size less one). "
                    + "Each one reads the galleries of every request waiting, so fewer mean larger batches. "
                    + "(env: IMAGES_DB_READERS, default: ${DEFAULT-VALUE})")
    int dbReaders;

    @Option(names = "--db-timeout-ms", paramLabel = "MS", defaultValue = "${env:IMAGES_DB_TIMEOUT_MS:-2000}",
            description = "Longest wait for a database connection or statement before a 503. (env: IMAGES_DB_TIMEOUT_MS, default: ${DEFAULT-VALUE})")
    long dbTimeoutMs;

    @Option(names = "--db-queue-timeout-ms", paramLabel = "MS", defaultValue = "${env:IMAGES_DB_QUEUE_TIMEOUT_MS}",
            description = "Longest wait for a free connection when all are busy, before a 503. While the database is "
                    + "failing only one request at a time waits for it; the others get a 503 at once. "
                    + "(env: IMAGES_DB_QUEUE_TIMEOUT_MS, default: the --db-timeout-ms)")
    Long dbQueueTimeoutMs;

    @Option(names = {"--max-replica-lag-ms", "--max-replica-lag"}, paramLabel = "MS",
            defaultValue = "${env:IMAGES_MAX_REPLICA_LAG_MS:-1000}",
            description = "With a multi-host --database-url (a primary and its replicas): a replica further behind the "
                    + "primary than this is not read until it catches up. (env: IMAGES_MAX_REPLICA_LAG_MS, default: ${DEFAULT-VALUE})")
    long maxReplicaLagMs;

    @Option(names = "--shutdown-drain-delay-ms", paramLabel = "MS", defaultValue = "${env:IMAGES_SHUTDOWN_DRAIN_DELAY_MS:-1000}",
            description = "On SIGTERM, keep serving this long with readiness red, so load balancers stop sending new "
                    + "requests. (env: IMAGES_SHUTDOWN_DRAIN_DELAY_MS, default: ${DEFAULT-VALUE})")
    long drainDelayMs;

    @Option(names = "--shutdown-timeout-ms", paramLabel = "MS", defaultValue = "${env:IMAGES_SHUTDOWN_TIMEOUT_MS:-10000}",
            description = "Then stop accepting connections and give requests in flight this long to finish. "
                    + "(env: IMAGES_SHUTDOWN_TIMEOUT_MS, default: ${DEFAULT-VALUE})")
    long shutdownTimeoutMs;

    @Option(names = "--cache-max-bytes", paramLabel = "BYTES", defaultValue = "${env:IMAGES_CACHE_MAX_BYTES:-50331648}",
            description = "Memory for cached gallery responses; 0 turns the cache off. (env: IMAGES_CACHE_MAX_BYTES, default: ${DEFAULT-VALUE})")
    long cacheMaxBytes;

    @Option(names = "--cache-ttl-s", paramLabel = "S", defaultValue = "${env:IMAGES_CACHE_TTL_S:-300}",
            description = "Cached galleries expire after this many seconds whatever happens. (env: IMAGES_CACHE_TTL_S, default: ${DEFAULT-VALUE})")
    long cacheTtlSeconds;

    @Option(names = "--cache-staleness-ms", paramLabel = "MS", defaultValue = "${env:IMAGES_CACHE_STALENESS_MS:-1000}",
            description = "Longest a changed gallery may still be served from a cache while the database answers. "
                    + "(env: IMAGES_CACHE_STALENESS_MS, default: ${DEFAULT-VALUE})")
    long cacheStalenessMs;

    @Option(names = "--request-head-timeout-ms", paramLabel = "MS", defaultValue = "${env:IMAGES_REQUEST_HEAD_TIMEOUT_MS:-10000}",
            description = "Longest a request line and its headers may take to arrive, from their first byte, before a 408 and "
                    + "the connection closes. (env: IMAGES_REQUEST_HEAD_TIMEOUT_MS, default: ${DEFAULT-VALUE})")
    long requestHeadTimeoutMs;

    @Option(names = "--allow-private-image-hosts", negatable = false,
            description = "Accept image URLs on loopback, private and link-local hosts (localhost, 127.0.0.1, 10.x, [::1]…), "
                    + "for local development only: every shopper's browser would fetch them. "
                    + "(env: IMAGES_ALLOW_PRIVATE_IMAGE_HOSTS=true, default: refused)")
    boolean allowPrivateImageHosts = Boolean.parseBoolean(System.getenv().getOrDefault("IMAGES_ALLOW_PRIVATE_IMAGE_HOSTS", "false"));

    @Option(names = "--media-store", paramLabel = "DIR|S3-URI", defaultValue = "${env:IMAGES_MEDIA_STORE}",
            description = "Where uploaded images and their renditions are kept: a directory, or s3://bucket/prefix "
                    + "(AWS SDK default credentials: AWS_ACCESS_KEY_ID, a profile or a role). "
                    + "(env: IMAGES_MEDIA_STORE, default: media in --data-dir)")
    String mediaStore;

    @Option(names = "--s3-endpoint", paramLabel = "URI", defaultValue = "${env:IMAGES_S3_ENDPOINT}",
            description = "Endpoint of an S3-compatible store (MinIO, Ceph, R2), addressed in path style; region from "
                    + "AWS_REGION, else us-east-1. (env: IMAGES_S3_ENDPOINT, default: AWS S3)")
    String s3Endpoint;

    @Option(names = "--max-upload-bytes", paramLabel = "BYTES", defaultValue = "${env:IMAGES_MAX_UPLOAD_BYTES:-26214400}",
            description = "Largest image upload body. (env: IMAGES_MAX_UPLOAD_BYTES, default: ${DEFAULT-VALUE})")
    long maxUploadBytes;

    @Option(names = "--max-image-pixels", paramLabel = "N", defaultValue = "${env:IMAGES_MAX_IMAGE_PIXELS:-50000000}",
            description = "Most pixels (width x height, read from the header before decoding) an uploaded image may have. "
                    + "(env: IMAGES_MAX_IMAGE_PIXELS, default: ${DEFAULT-VALUE})")
    long maxImagePixels;

    @Option(names = "--media-workers", paramLabel = "N", defaultValue = "${env:IMAGES_MEDIA_WORKERS:-1}",
            description = "Uploaded images this instance processes at once (each with two libvips processes); 0 leaves "
                    + "the queue to other instances. (env: IMAGES_MEDIA_WORKERS, default: ${DEFAULT-VALUE})")
    int mediaWorkers;

    @Option(names = "--media-timeout-ms", paramLabel = "MS", defaultValue = "${env:IMAGES_MEDIA_TIMEOUT_MS:-60000}",
            description = "Longest one image's renditions may take; past it the image fails. "
                    + "(env: IMAGES_MEDIA_TIMEOUT_MS, default: ${DEFAULT-VALUE})")
    long mediaTimeoutMs;

    @Option(names = "--media-lease-ms", paramLabel = "MS", defaultValue = "${env:IMAGES_MEDIA_LEASE_MS}",
            description = "How long a claimed image is held before another instance may take it (after a crash); "
                    + "longer than --media-timeout-ms. (env: IMAGES_MEDIA_LEASE_MS, default: --media-timeout-ms + 120000)")
    Long mediaLeaseMs;

    @Option(names = "--api-tokens-file", paramLabel = "FILE", defaultValue = "${env:IMAGES_API_TOKENS_FILE}",
            description = "File of API tokens that may write, one per line (# starts a comment). Tokens also come from "
                    + "env IMAGES_API_TOKENS (comma-separated; never pass tokens as arguments). With none, writes get 403, "
                    + "except on the embedded demo database, where a token is generated and printed once. "
                    + "(env: IMAGES_API_TOKENS_FILE, default: none)")
    Path apiTokensFile;

    // Tokens only from the environment (or the file), so they never show in the process list.
    String apiTokensEnv = System.getenv("IMAGES_API_TOKENS");

    @Override
    public Integer call() throws Exception {
        Application app = Application.start(settings());
        // SIGTERM and Ctrl-C: a graceful drain (see Application.close), then exit.
        UntilStopped.await(app);
        return ExitCodes.OK;
    }

    /** The options as checked settings; a bad value throws an IllegalArgumentException that names its option. */
    Settings settings() {
        return new Settings(host, port, database.url(), database.dataDir(), !noDemoData,
                imageUrls.urls(), poolSize, dbReaders, Duration.ofMillis(dbTimeoutMs),
                Duration.ofMillis(dbQueueTimeoutMs == null ? dbTimeoutMs : dbQueueTimeoutMs),
                new Settings.CacheSettings(cacheMaxBytes, Duration.ofSeconds(cacheTtlSeconds), Duration.ofMillis(cacheStalenessMs)),
                ApiTokens.load(apiTokensEnv, Optional.ofNullable(apiTokensFile)),
                new Settings.ShutdownSettings(Duration.ofMillis(drainDelayMs), Duration.ofMillis(shutdownTimeoutMs)),
                Duration.ofMillis(requestHeadTimeoutMs), allowPrivateImageHosts,
                Settings.MediaSettings.of(mediaStore, s3Endpoint, maxUploadBytes, maxImagePixels, mediaWorkers,
                        mediaTimeoutMs, mediaLeaseMs),
                Duration.ofMillis(maxReplicaLagMs));
    }
}
