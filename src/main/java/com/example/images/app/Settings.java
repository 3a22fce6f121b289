package com.example.images.app;

import com.example.images.auth.ApiTokens;
import com.example.images.catalog.ImageUrls;
import com.example.images.db.DatabaseUrl;
import com.example.images.http.HttpServer;
import com.example.images.media.MediaWorker;
import com.example.images.media.ProcessingSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@code serve} needs, validated once at startup.
 *
 * @param host         the address to listen on
 * @param port         the HTTP port; 0 picks a free one
 * @param databaseUrl  an external PostgreSQL, or empty for the embedded one
 * @param dataDir      where the embedded PostgreSQL keeps its data
 * @param demoData     whether to fill an empty catalog with a demo
 * @param imageUrls    where generated image URLs point
 * @param poolSize     database connections in the pool
 * @param dbReaders    gallery queries in flight at once (at most {@code poolSize - 1} of them);
 *                     each reads every request waiting, and fewer, larger batches cost the
 *                     database less per gallery. Their connections are reserved for them
 * @param dbTimeout    the longest a request waits for the database
 * @param dbQueueTimeout the longest a request waits for a busy pool before a 503
 * @param cache        the gallery cache's bounds
 * @param apiTokens    who may write; none means writes are refused (except with the embedded demo)
 * @param shutdown     how a stopping instance drains
 * @param requestHeadTimeout the longest a request's line and headers may take to arrive, from their first byte
 * @param allowPrivateImageHosts whether image URLs may name loopback, private and link-local hosts (local development)
 * @param media        where uploaded images' bytes are kept, and the upload limits
 * @param maxReplicaLag with a multi-host database URL, the most a replica may lag behind the primary
 *                     and still be read
 */
public record Settings(
        String host,
        int port,
        Optional<DatabaseUrl> databaseUrl,
        Path dataDir,
        boolean demoData,
        ImageUrls imageUrls,
        int poolSize,
        int dbReaders,
        Duration dbTimeout,
        Duration dbQueueTimeout,
        CacheSettings cache,
        ApiTokens apiTokens,
        ShutdownSettings shutdown,
        Duration requestHeadTimeout,
        boolean allowPrivateImageHosts,
        MediaSettings media,
        Duration maxReplicaLag) {

    /**
     * Uploaded images: where their bytes are kept, how large an upload may be, and how this
     * instance processes them.
     *
     * @param directory      the file store's directory; empty for {@code media} under {@code --data-dir}
     *                       (or when the store is S3)
     * @param s3             the S3 store, {@code s3://bucket/prefix}; empty for the file store
     * @param s3Endpoint     an S3-compatible endpoint (MinIO, Ceph, R2); empty for AWS itself
     * @param maxUploadBytes the largest upload body
     * @param maxImagePixels the most pixels an upload may declare (a decompression-bomb guard)
     * @param workers        images this instance processes at once; 0 leaves the queue to other instances
     *                       (the shared test service, so tests own the jobs they queue)
     * @param timeout        the time one image's renditions may take before it fails
     * @param lease          how long a claimed job is held before another instance may take it: longer than
     *                       {@code timeout}, or a slow image would be taken and made twice
     */
    public record MediaSettings(Optional<Path> directory, Optional<URI> s3, Optional<URI> s3Endpoint,
                                long maxUploadBytes, long maxImagePixels, int workers, Duration timeout, Duration lease) {

        public static final long DEFAULT_MAX_UPLOAD_BYTES = 25L << 20;
        public static final long MAX_UPLOAD_BYTES_LIMIT = 1L << 30;
        public static final int DEFAULT_WORKERS = 1;
        public static final int MAX_WORKERS = 64;
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
        public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
        public static final Duration MAX_TIMEOUT = Duration.ofHours(1);
        /** The default lease is the timeout and this much more. */
        public static final Duration LEASE_MARGIN = Duration.ofMinutes(2);
        public static final Duration MAX_LEASE = Duration.ofDays(1);

        public MediaSettings {
            if (directory.isPresent() && s3.isPresent()) {
                throw new IllegalArgumentException("the media store is a directory or an S3 bucket, not both");
            }
            s3.ifPresent(uri -> {
                if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw new IllegalArgumentException("--media-store must be a directory or s3://bucket/prefix, got " + uri);
                }
            });
            if (s3Endpoint.isPresent() && s3.isEmpty()) {
                throw new IllegalArgumentException("--s3-endpoint must go with --media-store s3://bucket/prefix, got "
                        + s3Endpoint.get() + " with a directory store");
            }
            s3Endpoint.ifPresent(uri -> {
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException("--s3-endpoint must be an http:// or https:// URI, got " + uri);
                }
            });
            if (maxUploadBytes < 1 || maxUploadBytes > MAX_UPLOAD_BYTES_LIMIT) {
                throw new IllegalArgumentException("--max-upload-bytes must be between 1 and " + MAX_UPLOAD_BYTES_LIMIT
                        + ", got " + maxUploadBytes);
            }
            if (maxImagePixels < 1) {
                throw new IllegalArgumentException("--max-image-pixels must be at least 1, got " + maxImagePixels);
            }
            if (workers < 0 || workers > MAX_WORKERS) {
                throw new IllegalArgumentException("--media-workers must be between 0 (this instance processes nothing) and "
                        + MAX_WORKERS + ", got " + workers);
            }
            if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("--media-timeout-ms must be between " + MIN_TIMEOUT.toMillis() + " and "
                        + MAX_TIMEOUT.toMillis() + ", got " + timeout.toMillis());
            }
            if (lease.compareTo(timeout) <= 0 || lease.compareTo(MAX_LEASE) > 0) {
                throw new IllegalArgumentException("--media-lease-ms must be between " + (timeout.toMillis() + 1)
                        + " (longer than --media-timeout-ms) and " + MAX_LEASE.toMillis() + ", got " + lease.toMillis());
            }
        }

        /** Without the processing options: their defaults, the worker on or off. */
        public MediaSettings(Optional<Path> directory, Optional<URI> s3, Optional<URI> s3Endpoint,
                             long maxUploadBytes, long maxImagePixels, boolean worker) {
            this(directory, s3, s3Endpoint, maxUploadBytes, maxImagePixels, worker ? DEFAULT_WORKERS : 0, DEFAULT_TIMEOUT,
                    DEFAULT_TIMEOUT.plus(LEASE_MARGIN));
        }

        /** The file store under {@code --data-dir}, 25 MiB uploads, 50 MP images, one image at a time within 60 s. */
        public static MediaSettings defaults() {
            return new MediaSettings(Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_MAX_UPLOAD_BYTES,
                    ProcessingSettings.DEFAULT_MAX_IMAGE_PIXELS, true);
        }

        /** As {@link #of(String, String, long, long, int, long, Long)}, with the processing defaults. */
        public static MediaSettings of(String store, String endpoint, long maxUploadBytes, long maxImagePixels) {
            return of(store, endpoint, maxUploadBytes, maxImagePixels, DEFAULT_WORKERS, DEFAULT_TIMEOUT.toMillis(), null);
        }

        /**
         * The settings the options name: {@code store} is a directory, {@code s3://bucket/prefix}, or
         * null or blank for the default; {@code endpoint} is null or blank for none; {@code leaseMs}
         * is null for the timeout plus {@link #LEASE_MARGIN}.
         */
        public static MediaSettings of(String store, String endpoint, long maxUploadBytes, long maxImagePixels,
                                       int workers, long timeoutMs, Long leaseMs) {
            Optional<Path> directory = Optional.empty();
            Optional<URI> s3 = Optional.empty();
            if (store != null && !store.isBlank()) {
                if (store.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*://.*")) {
                    s3 = Optional.of(uri("--media-store", store, "a directory or s3://bucket/prefix"));
                } else {
                    try {
                        directory = Optional.of(Path.of(store));
                    } catch (InvalidPathException e) {
                        throw new IllegalArgumentException("--media-store must be a directory or s3://bucket/prefix, got "
                                + store + " (" + e.getReason() + ")");
                    }
                }
            }
            Optional<URI> s3Endpoint = endpoint == null || endpoint.isBlank() ? Optional.empty()
                    : Optional.of(uri("--s3-endpoint", endpoint, "an http:// or https:// URI"));
            Duration timeout = Duration.ofMillis(timeoutMs);
            Duration lease = leaseMs == null ? timeout.plus(LEASE_MARGIN) : Duration.ofMillis(leaseMs);
            return new MediaSettings(directory, s3, s3Endpoint, maxUploadBytes, maxImagePixels, workers, timeout, lease);
        }

        private static URI uri(String option, String value, String what) {
            try {
                return new URI(value);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(option + " must be " + what + ", got " + value);
            }
        }

        /** These settings with the worker on ({@link #DEFAULT_WORKERS}) or off. */
        public MediaSettings withWorker(boolean on) {
            return withWorkers(on ? DEFAULT_WORKERS : 0);
        }

        public MediaSettings withWorkers(int count) {
            return new MediaSettings(directory, s3, s3Endpoint, maxUploadBytes, maxImagePixels, count, timeout, lease);
        }

        /** Whether this instance processes queued images. */
        public boolean worker() {
            return workers > 0;
        }

        /** How images are processed: this pixel limit and timeout, two libvips processes per image. */
        public ProcessingSettings processing() {
            return ProcessingSettings.defaults().withMaxImagePixels(maxImagePixels).withTimeout(timeout)
                    .withConcurrentImages(Math.max(1, workers));
        }

        /** The worker: {@code workers} threads holding a claimed job for {@code lease}. */
        public MediaWorker.Options workerOptions() {
            return MediaWorker.Options.of(processing()).withThreads(workers).withLease(lease);
        }
    }

    /**
     * The gallery cache: its size in bytes (0 turns it off), its TTL (the last line of
     * defence), and the longest a changed gallery may still be served from it.
     */
    public record CacheSettings(long maxBytes, Duration ttl, Duration stalenessBound) {
        /** A year: a cached gallery is dropped on change anyway; the TTL only bounds a missed invalidation. */
        static final long MAX_CACHE_TTL_S = 31_536_000;

        public CacheSettings {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("--cache-max-bytes must be 0 (off) or more, got " + maxBytes);
            }
            // Seconds, not millis: Long.MAX_VALUE seconds overflowed toMillis() into an ArithmeticException.
            if (ttl.toSeconds() < 1 || ttl.toSeconds() > MAX_CACHE_TTL_S) {
                throw new IllegalArgumentException("--cache-ttl-s must be between 1 and " + MAX_CACHE_TTL_S + ", got "
                        + ttl.toSeconds());
            }
            if (stalenessBound.toMillis() < 100 || stalenessBound.toMillis() > 60_000) {
                throw new IllegalArgumentException("--cache-staleness-ms must be between 100 and 60000, got "
                        + stalenessBound.toMillis());
            }
        }

        public static CacheSettings defaults() {
            return new CacheSettings(48L << 20, Duration.ofMinutes(5), Duration.ofSeconds(1));
        }
    }

    /**
     * Graceful shutdown: after readiness turns red the instance keeps serving for
     * {@code drainDelay} (closing each keep-alive connection after its next response) so that
     * balancers notice, then stops accepting and gives requests in flight up to
     * {@code drainTimeout} to finish.
     */
    public record ShutdownSettings(Duration drainDelay, Duration drainTimeout) {
        public ShutdownSettings {
            if (drainDelay.isNegative() || drainDelay.toMillis() > 60_000) {
                throw new IllegalArgumentException("--shutdown-drain-delay-ms must be between 0 and 60000, got "
                        + drainDelay.toMillis());
            }
            if (drainTimeout.toMillis() < 100 || drainTimeout.toMillis() > 300_000) {
                throw new IllegalArgumentException("--shutdown-timeout-ms must be between 100 and 300000, got "
                        + drainTimeout.toMillis());
            }
        }

        public static ShutdownSettings defaults() {
            return new ShutdownSettings(Duration.ofSeconds(1), Duration.ofSeconds(10));
        }
    }

    /** Two: one query in flight while the last one's galleries are written; see docs/bench-log/2026-12-01-round-4.md. */
    public static final int DEFAULT_DB_READERS = 2;
    /** Within the cache's default staleness bound: a replica this far behind still serves reads. */
    public static final Duration DEFAULT_MAX_REPLICA_LAG = Duration.ofSeconds(1);

    /**
     * Gallery queries in flight at once, each on a connection reserved for it: at least one
     * connection is always left for writes and the other requests.
     */
    public int galleryReaders() {
        return Math.min(dbReaders, poolSize - 1);
    }

    public Settings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 (any free port) and 65535, got " + port);
        }
        if (poolSize < 2 || poolSize > 200) {
            throw new IllegalArgumentException("--db-pool-size must be between 2 and 200, got " + poolSize
                    + " (gallery reads keep connections of their own, and writes need at least one more)");
        }
        if (dbReaders < 1 || dbReaders > 200) {
            throw new IllegalArgumentException("--db-readers must be between 1 and 200, got " + dbReaders);
        }
        if (dbTimeout.isNegative() || dbTimeout.toMillis() < 100 || dbTimeout.toMillis() > 60_000) {
            throw new IllegalArgumentException("--db-timeout-ms must be between 100 and 60000, got " + dbTimeout.toMillis());
        }
        if (cache == null) {
            throw new IllegalArgumentException("cache settings must not be null");
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir must not be empty");
        }
        if (dbQueueTimeout.isNegative() || dbQueueTimeout.compareTo(dbTimeout) > 0) {
            throw new IllegalArgumentException("--db-queue-timeout-ms must be between 0 and --db-timeout-ms ("
                    + dbTimeout.toMillis() + "), got " + dbQueueTimeout.toMillis());
        }
        if (shutdown == null) {
            throw new IllegalArgumentException("shutdown settings must not be null");
        }
        if (apiTokens == null) {
            throw new IllegalArgumentException("API tokens must not be null; use ApiTokens.none()");
        }
        if (media == null) {
            throw new IllegalArgumentException("media settings must not be null");
        }
        if (maxReplicaLag == null || maxReplicaLag.toMillis() < 1 || maxReplicaLag.toMillis() > 3_600_000) {
            throw new IllegalArgumentException("--max-replica-lag-ms must be between 1 and 3600000, got "
                    + (maxReplicaLag == null ? null : maxReplicaLag.toMillis()));
        }
        if (requestHeadTimeout.toMillis() < 100 || requestHeadTimeout.toMillis() > 300_000) {
            throw new IllegalArgumentException("--request-head-timeout-ms must be between 100 and 300000, got "
                    + requestHeadTimeout.toMillis());
        }
    }

    /**
     * Defaults for an embedded database in {@code dataDir}, on a free port: handy for tests.
     * No drain delay: nothing balances traffic to such an instance.
     */
    public static Settings defaults(Path dataDir) {
        return new Settings("127.0.0.1", 0, Optional.empty(), dataDir, true, ImageUrls.local(), 8, DEFAULT_DB_READERS,
                Duration.ofSeconds(2), Duration.ofSeconds(2), CacheSettings.defaults(), ApiTokens.none(),
                new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(10)), HttpServer.REQUEST_HEAD_TIMEOUT, false,
                MediaSettings.defaults(), DEFAULT_MAX_REPLICA_LAG);
    }

    public Settings withMaxReplicaLag(Duration lag) {
        return new Settings(host, port, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache,
                apiTokens, shutdown, requestHeadTimeout, allowPrivateImageHosts, media, lag);
    }

    public Settings withDatabase(DatabaseUrl url) {
        return new Settings(host, port, Optional.of(url), dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache, apiTokens, shutdown, requestHeadTimeout, allowPrivateImageHosts, media, maxReplicaLag);
    }

    public Settings withDemoData(boolean demo) {
        return new Settings(host, port, databaseUrl, dataDir, demo, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache, apiTokens, shutdown, requestHeadTimeout, allowPrivateImageHosts, media, maxReplicaLag);
    }

    public Settings withCache(CacheSettings newCache) {
        return new Settings(host, port, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, newCache, apiTokens, shutdown, requestHeadTimeout, allowPrivateImageHosts, media, maxReplicaLag);
    }

    public Settings withApiTokens(ApiTokens tokens) {
        return new Settings(host, port, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache, tokens, shutdown, requestHeadTimeout, allowPrivateImageHosts, media, maxReplicaLag);
    }

    /** Whether {@code serve} runs the embedded demo: the one case that makes up a write token itself. */
    public boolean embeddedDemo() {
        return databaseUrl.isEmpty() && demoData;
    }

    public Settings withShutdown(ShutdownSettings newShutdown) {
        return new Settings(host, port, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache,
                apiTokens, newShutdown, requestHeadTimeout, allowPrivateImageHosts, media, maxReplicaLag);
    }

    public Settings withDbTimeouts(Duration newDbTimeout, Duration newQueueTimeout) {
        return new Settings(host, port, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, newDbTimeout, newQueueTimeout,
                cache, apiTokens, shutdown, requestHeadTimeout, allowPrivateImageHosts, media, maxReplicaLag);
    }

    public Settings withRequestHeadTimeout(Duration timeout) {
        return new Settings(host, port, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache,
                apiTokens, shutdown, timeout, allowPrivateImageHosts, media, maxReplicaLag);
    }

    public Settings withAllowPrivateImageHosts(boolean allow) {
        return new Settings(host, port, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache,
                apiTokens, shutdown, requestHeadTimeout, allow, media, maxReplicaLag);
    }

    public Settings withMedia(MediaSettings newMedia) {
        return new Settings(host, port, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache,
                apiTokens, shutdown, requestHeadTimeout, allowPrivateImageHosts, newMedia, maxReplicaLag);
    }

    /** The file store's directory: {@code --media-store}, or {@code media} under {@code --data-dir}. */
    public Path mediaDirectory() {
        return media.directory().orElse(dataDir.resolve("media"));
    }

    public Settings withPort(int newPort) {
        return new Settings(host, newPort, databaseUrl, dataDir, demoData, imageUrls, poolSize, dbReaders, dbTimeout, dbQueueTimeout, cache, apiTokens, shutdown, requestHeadTimeout, allowPrivateImageHosts, media, maxReplicaLag);
    }
}
