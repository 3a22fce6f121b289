package com.example.images.media;

import com.example.images.db.Transactions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns queued uploads into renditions: a few threads claim jobs ({@link MediaJobs#claim}),
 * copy the original from the store to a temporary directory, probe it, make its renditions,
 * store and register them, and complete the job (the image becomes 'ready' and references the
 * renditions in that transaction). An image libvips refuses becomes 'failed' with the reason; a
 * passing failure (database, store) runs again later with back-off, and fails after
 * {@link Options#maxAttempts()} claims. One more thread collects unreferenced blobs.
 *
 * <p>A job is leased, so an instance killed mid-image leaves it to another instance once the
 * lease runs out; {@link #close()} hands an interrupted job back at once.
 */
public final class MediaWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaWorker.class);

    private static final String ORIGINAL = """
            SELECT original_key FROM images WHERE product_id = ? AND id = ? AND status = 'processing'
            """;

    /**
     * How the worker runs.
     *
     * @param threads      images processed at once (each runs its own libvips processes)
     * @param lease        how long a claimed job is held: longer than an image can take
     * @param maxAttempts  claims of one job before a passing failure becomes the image's failure
     * @param retryBase    the first back-off after a passing failure; each next one doubles, to {@code retryMax}
     * @param retryMax     the longest back-off
     * @param idleMax      the longest wait between claims while the queue is empty
     * @param collectEvery how often unreferenced blobs are collected (the first time after this long)
     * @param grace        how long a blob stays unreferenced before it is collected
     * @param collectLimit blobs collected per round at most
     */
    public record Options(int threads, Duration lease, int maxAttempts, Duration retryBase, Duration retryMax,
                          Duration idleMax, Duration collectEvery, Duration grace, int collectLimit) {

        public Options {
            if (threads < 0) {
                throw new IllegalArgumentException("worker threads must be at least 0, got " + threads);
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + maxAttempts);
            }
        }

        /**
         * {@code concurrentImages} threads (one by default, which with its two libvips processes
         * keeps the service's JVM far below 512 MB: libvips' memory is the child processes'),
         * a lease of the image timeout plus two minutes, five attempts with back-off from 5 s to
         * 5 min, claims at least once a second while idle, collection every minute after an hour.
         */
        public static Options of(ProcessingSettings settings) {
            return new Options(settings.concurrentImages(), settings.timeout().plus(Duration.ofMinutes(2)), 5,
                    Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofMinutes(1),
                    Duration.ofHours(1), 1000);
        }

        public Options withThreads(int value) {
            return new Options(value, lease, maxAttempts, retryBase, retryMax, idleMax, collectEvery, grace, collectLimit);
        }

        public Options withLease(Duration value) {
            return new Options(threads, value, maxAttempts, retryBase, retryMax, idleMax, collectEvery, grace, collectLimit);
        }

        public Options withRetries(int attempts, Duration base, Duration max) {
            return new Options(threads, lease, attempts, base, max, idleMax, collectEvery, grace, collectLimit);
        }

        public Options withCollection(Duration every, Duration value) {
            return new Options(threads, lease, maxAttempts, retryBase, retryMax, idleMax, every, value, collectLimit);
        }
    }

    private final Transactions transactions;
    private final MediaJobs jobs;
    private final MediaBlobs blobs;
    private final BlobStore store;
    private final ImageProcessor processor;
    private final Options options;
    private final String name = "media-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService collector;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object idle = new Object();

    private MediaWorker(Transactions transactions, MediaJobs jobs, MediaBlobs blobs, BlobStore store,
                        ImageProcessor processor, Options options) {
        this.transactions = transactions;
        this.jobs = jobs;
        this.blobs = blobs;
        this.store = store;
        this.processor = processor;
        this.options = options;
        this.collector = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(name + "-collector").factory());
    }

    /**
     * Starts the processing threads (none when libvips is unavailable: the jobs stay queued for
     * an instance that has it) and the collector.
     */
    public static MediaWorker start(Transactions transactions, BlobStore store, ImageProcessor processor, Options options) {
        var blobs = new MediaBlobs(transactions);
        var worker = new MediaWorker(transactions, new MediaJobs(transactions, blobs), blobs, store, processor, options);
        if (!processor.available()) {
            // The service has said that uploads are off; queued images wait for an instance with libvips.
            log.debug("No processing threads: {}", processor.unavailableReason());
        } else {
            for (int i = 0; i < options.threads(); i++) {
                String id = worker.name + "-" + i;
                worker.threads.add(Thread.ofPlatform().daemon().name(id).start(() -> worker.run(id)));
            }
        }
        long every = options.collectEvery().toMillis();
        worker.collector.scheduleWithFixedDelay(worker::collect, every, every, TimeUnit.MILLISECONDS);
        return worker;
    }

    /** Stops claiming, interrupts the images in flight (their jobs are handed back) and waits for the threads. */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        collector.shutdownNow();
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            collector.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(String worker) {
        long wait = 50;
        while (!stopping.get()) {
            Optional<MediaJobs.Job> job;
            try {
                job = jobs.claim(worker, options.lease());
            } catch (SQLException | RuntimeException e) {
                if (stopping.get()) {
                    return;
                }
                log.warn("Media worker {} could not claim a job: {}", worker, e.toString());
                job = Optional.empty();
            }
            if (job.isPresent()) {
                wait = 50;
                process(worker, job.get());
                continue;
            }
            if (!pause(wait)) {
                return;
            }
            wait = Math.min(wait * 2, options.idleMax().toMillis());
        }
    }

    /** Sleeps unless stopping; false when the worker is stopping. */
    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return !stopping.get();
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void process(String worker, MediaJobs.Job job) {
        Path dir = null;
        try {
            // Named by the process, so a leftover says whose it is.
            dir = Files.createTempDirectory("media-job-" + ProcessHandle.current().pid() + "-");
            Optional<String> originalKey = originalKey(job);
            if (originalKey.isEmpty()) {
                // The image was deleted, or is no longer processing: completing ends the job and changes nothing.
                jobs.fail(job, worker, "the image is no longer processing");
                return;
            }
            Path original = dir.resolve("original");
            try {
                store.copyTo(originalKey.get(), original);
            } catch (NoSuchFileException e) {
                finish(worker, job, "the original is missing from the media store");
                return;
            }
            ImageFormat format = ImageFormat.sniff(original);
            ImageInfo info = processor.probe(original, format);
            RenditionSet set = processor.renditions(original, info, dir.resolve("out"));
            checkStopping();
            MediaJobs.Ready ready = store(set);
            checkStopping();
            if (jobs.complete(job, worker, ready)) {
                log.info("Image {} of product {} is ready: {} renditions", job.imageId(), job.productId(), set.renditions().size());
            } else {
                log.info("Image {} of product {}: the job was no longer held by {} (lease ran out); its renditions are left to the collector",
                        job.imageId(), job.productId(), worker);
            }
        } catch (ImageRejectedException | ProcessingException e) {
            if (stopping.get()) {
                handBack(worker, job, "the instance stopped");
            } else {
                finish(worker, job, e.getMessage());
            }
        } catch (Stopping e) {
            handBack(worker, job, "the instance stopped");
        } catch (IOException | SQLException | RuntimeException e) {
            if (stopping.get()) {
                handBack(worker, job, "the instance stopped");
            } else {
                passingFailure(worker, job, e);
            }
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private Optional<String> originalKey(MediaJobs.Job job) throws SQLException {
        return transactions.inTransaction(c -> {
            try (PreparedStatement st = c.prepareStatement(ORIGINAL)) {
                st.setLong(1, job.productId());
                st.setLong(2, job.imageId());
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Stores the renditions, each registered (no reference yet) in the transaction that stores
     * its bytes, so the collector never deletes one mid-write; the job's completion references them.
     */
    private MediaJobs.Ready store(RenditionSet set) throws SQLException, IOException {
        List<BlobStore.Blob> stored = new ArrayList<>();
        List<Renditions.Stored> entries = new ArrayList<>();
        for (Rendition r : set.renditions()) {
            BlobStore.Blob blob = blobs.store(store, r.file(), r.format());
            stored.add(blob);
            entries.add(new Renditions.Stored(r.format().contentType(), r.width(), r.height(), blob.key(), blob.size()));
        }
        var renditions = new Renditions(entries);
        Renditions.Stored largest = renditions.largest(ImageFormat.JPEG)
                .orElseThrow(() -> new IllegalStateException("the rendition set has no JPEG"));
        Renditions.Stored smallest = renditions.smallest(ImageFormat.JPEG).orElseThrow();
        return new MediaJobs.Ready(largest.url(), smallest.url(), set.width(), set.height(),
                set.color(), set.placeholder(), renditions.toJson(), stored);
    }

    /** The image fails for good with {@code reason}. */
    private void finish(String worker, MediaJobs.Job job, String reason) {
        try {
            if (jobs.fail(job, worker, reason)) {
                log.info("Image {} of product {} failed: {}", job.imageId(), job.productId(), reason);
            }
        } catch (SQLException | RuntimeException e) {
            // The lease runs out and the job is claimed again, to fail then.
            log.warn("Could not mark image {} of product {} failed ({}): {}", job.imageId(), job.productId(), reason, e.toString());
        }
    }

    private void passingFailure(String worker, MediaJobs.Job job, Exception e) {
        String error = e.toString();
        if (job.attempts() >= options.maxAttempts()) {
            // The reason is public (GET /api/products/{id}); an exception's text may name paths or hosts.
            log.warn("Image {} of product {} fails after {} attempts; the last error: {}", job.imageId(), job.productId(),
                    job.attempts(), error);
            finish(worker, job, "gave up after " + job.attempts()
                    + " attempts, each failing on the media store or the database (the service's log has the errors); upload it again");
            return;
        }
        long base = options.retryBase().toMillis();
        long delay = Math.min(options.retryMax().toMillis(), base << Math.min(job.attempts() - 1, 20));
        log.warn("Image {} of product {} runs again in {} ms (attempt {} of {}): {}", job.imageId(), job.productId(), delay,
                job.attempts(), options.maxAttempts(), error);
        try {
            jobs.retryLater(job, worker, error, Duration.ofMillis(delay));
        } catch (SQLException | RuntimeException again) {
            log.warn("Could not hand image {} of product {} back ({}); its lease runs out", job.imageId(), job.productId(), again.toString());
        }
    }

    /** Gives the job back to be claimed at once (by this instance's successor or another). */
    private void handBack(String worker, MediaJobs.Job job, String why) {
        Thread.interrupted(); // JDBC must not see the interrupt that stopped the image
        try {
            if (jobs.retryLater(job, worker, why, Duration.ZERO)) {
                log.info("Image {} of product {} was handed back to the queue: {}", job.imageId(), job.productId(), why);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not hand image {} of product {} back ({}); its lease runs out", job.imageId(), job.productId(), e.toString());
        }
    }

    private void checkStopping() {
        if (stopping.get()) {
            throw new Stopping();
        }
    }

    private void collect() {
        try {
            List<String> keys = blobs.collect(store, options.grace(), options.collectLimit());
            if (!keys.isEmpty()) {
                log.info("Collected {} unreferenced media blobs", keys.size());
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not collect unreferenced media blobs: {}", e.toString());
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("Could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    /** Thrown when close() interrupts an image between steps. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("stopping", null, false, false);
        }
    }
}
