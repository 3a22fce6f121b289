package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.db.Transactions;
import com.example.images.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker over the shared embedded PostgreSQL, real libvips and a file store in a temp directory. */
class MediaWorkerTest {

    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Pattern KEY = Pattern.compile("\"key\":\\s*\"([0-9a-f]{64}\\.[a-z]+)\"");

    private final DataSource db = TestDatabase.shared().dataSource();
    private final Transactions transactions = new Transactions(db);
    private final MediaBlobs blobs = new MediaBlobs(transactions);
    private final MediaJobs jobs = new MediaJobs(transactions, blobs);
    private final ImageProcessor processor = new VipsCliProcessor(ProcessingSettings.defaults());
    private final List<MediaWorker> workers = new ArrayList<>();

    @TempDir
    Path dir;

    private FileBlobStore store;

    @BeforeEach
    void emptyQueue() throws Exception {
        // Jobs other tests left (with blobs this store does not have) would be claimed first.
        execute("DELETE FROM media_jobs");
        store = new FileBlobStore(dir.resolve("media"));
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(MediaWorker::close);
    }

    @Test
    void a_stored_jpeg_becomes_a_ready_image_whose_renditions_are_stored_and_referenced() throws Exception {
        assertThat(processor.available()).as("libvips is installed here").isTrue();
        var before = jobTempDirs();
        long product = product();
        var original = store.put(TestImages.jpeg(dir, 400, 300), "jpg", "image/jpeg");
        long image = upload(product, original);
        long version = version(product);

        start(options());

        assertThat(awaitDone(product, image)).isEqualTo("ready");
        assertThat(query("SELECT width || 'x' || height FROM images WHERE id = " + image)).isEqualTo("400x300");
        assertThat(query("SELECT color FROM images WHERE id = " + image)).matches("#[0-9a-f]{6}");
        assertThat(query("SELECT placeholder FROM images WHERE id = " + image)).hasSizeGreaterThan(6);
        assertThat(query("SELECT failure_reason IS NULL FROM images WHERE id = " + image)).isEqualTo("t");
        String renditions = query("SELECT renditions::text FROM images WHERE id = " + image);
        List<String> keys = keys(renditions);
        assertThat(keys).as("AVIF, WebP and JPEG at 160, 320 and 400 px").hasSize(9);
        for (String key : keys) {
            assertThat(store.size(key)).as(key).isPresent();
            assertThat(blobs.refs(key)).as(key).isEqualTo(1);
        }
        assertThat(query("SELECT url FROM images WHERE id = " + image)).startsWith("/media/").endsWith(".jpg");
        assertThat(query("SELECT count(*) FROM media_jobs WHERE image_id = " + image)).isEqualTo("0");
        assertThat(blobs.refs(original.key())).as("the original stays referenced").isEqualTo(1);
        assertThat(version(product)).isGreaterThan(version);
        assertThat(jobTempDirs()).as("temporary files deleted: none but those there before").isSubsetOf(before);
    }

    @Test
    void a_corrupt_original_fails_with_a_reason_and_leaves_no_rendition_referenced() throws Exception {
        long product = product();
        Path jpeg = TestImages.jpeg(dir, 400, 300);
        long truncated = upload(product, store.put(TestImages.truncated(jpeg, 0.5), "jpg", "image/jpeg"));
        // Starts and ends like a JPEG, so only libvips finds out.
        byte[] bytes = Files.readAllBytes(jpeg);
        for (int i = 600; i < bytes.length - 2; i++) {
            bytes[i] = (byte) 0x5a;
        }
        Path garbled = Files.write(dir.resolve("garbled.jpg"), bytes);
        long garbage = upload(product, store.put(garbled, "jpg", "image/jpeg"));
        String since = query("SELECT now()::text");

        start(options());

        for (long image : List.of(truncated, garbage)) {
            assertThat(awaitDone(product, image)).isEqualTo("failed");
            assertThat(query("SELECT failure_reason FROM images WHERE id = " + image)).isNotBlank().doesNotContain(dir.toString());
            assertThat(query("SELECT renditions IS NULL FROM images WHERE id = " + image)).isEqualTo("t");
            assertThat(query("SELECT count(*) FROM media_jobs WHERE image_id = " + image)).isEqualTo("0");
        }
        assertThat(query("SELECT failure_reason FROM images WHERE id = " + truncated)).containsIgnoringCase("truncated");
        assertThat(query("SELECT count(*) FROM media_blobs WHERE refs > 0 AND created_at >= '" + since + "'::timestamptz"))
                .as("no rendition referenced").isEqualTo("0");
    }

    @Test
    void a_job_leased_by_a_dead_worker_is_completed_by_a_live_one_after_the_lease() throws Exception {
        long product = product();
        long image = upload(product, store.put(TestImages.jpeg(dir, 200, 150), "jpg", "image/jpeg"));
        // kill -9 after the claim: the lease is all that is left of the dead instance.
        MediaJobs.Job dead = jobs.claim("killed-instance", Duration.ofMillis(500)).orElseThrow();

        start(options());

        assertThat(awaitDone(product, image)).isEqualTo("ready");
        assertThat(jobs.complete(dead, "killed-instance", new MediaJobs.Ready("/x", "/x", 1, 1, "#000000", "x", "[]", List.of())))
                .as("the dead holder's late completion changes nothing").isFalse();
        assertThat(query("SELECT width FROM images WHERE id = " + image)).isEqualTo("200");
    }

    @Test
    void close_stops_promptly_and_leaves_the_image_in_flight_ready_or_claimable() throws Exception {
        long product = product();
        long image = upload(product, store.put(TestImages.jpeg(dir, 2400, 1800), "jpg", "image/jpeg"));
        MediaWorker worker = start(options());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (query("SELECT count(*) FROM media_jobs WHERE image_id = " + image + " AND leased_by IS NOT NULL").equals("0")
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // inside libvips by now

        long started = System.nanoTime();
        worker.close();
        worker.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        String status = query("SELECT status FROM images WHERE id = " + image);
        if (status.equals("ready")) {
            assertThat(query("SELECT count(*) FROM media_jobs WHERE image_id = " + image)).isEqualTo("0");
        } else {
            assertThat(status).isEqualTo("processing");
            assertThat(query("SELECT renditions IS NULL FROM images WHERE id = " + image)).isEqualTo("t");
            assertThat(jobs.claim("next-instance", LEASE)).as("handed back, claimable at once")
                    .hasValueSatisfying(job -> assertThat(job.imageId()).isEqualTo(image));
        }
    }

    @Test
    void the_collector_removes_a_blob_unreferenced_past_the_grace_period() throws Exception {
        Path file = Files.writeString(dir.resolve("orphan"), "orphan " + System.nanoTime());
        var orphan = transactions.inTransaction(c -> {
            try {
                var blob = new BlobStore.Blob(BlobStore.key(BlobStore.sha256(file), "jpg"), Files.size(file), BlobStore.sha256(file));
                blobs.register(c, blob);
                return store.put(file, "jpg", "image/jpeg");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long product = product();
        Path kept = Files.writeString(dir.resolve("kept"), "kept " + System.nanoTime());
        var original = store.put(kept, "jpg", "image/jpeg");
        long image = insertImage(product, original);
        assertThat(blobs.refs(orphan.key())).isZero();

        start(options().withCollection(Duration.ofMillis(100), Duration.ofMillis(200)));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        // The collector deletes the bytes before its transaction deletes the row: wait for both.
        while ((store.size(orphan.key()).isPresent() || blobs.refs(orphan.key()) != -1) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(store.size(orphan.key())).isEmpty();
        assertThat(blobs.refs(orphan.key())).isEqualTo(-1);
        assertThat(store.size(original.key())).as("referenced by image " + image).isPresent();
        assertThat(blobs.refs(original.key())).isEqualTo(1);
    }

    @Test
    void a_passing_store_failure_runs_again_with_back_off_and_fails_after_five_attempts() throws Exception {
        long product = product();
        long flaky = upload(product, store.put(TestImages.jpeg(dir, 200, 150), "jpg", "image/jpeg"));
        var failures = new java.util.concurrent.atomic.AtomicInteger(2);
        MediaWorker worker = MediaWorker.start(transactions, new FailingCopies(store, failures), processor, options());
        workers.add(worker);

        assertThat(awaitDone(product, flaky)).as("two store failures, then the third claim succeeds").isEqualTo("ready");
        assertThat(failures.get()).isZero();
        worker.close();

        long doomed = upload(product, store.put(TestImages.jpeg(dir, 210, 150), "jpg", "image/jpeg"));
        failures.set(Integer.MAX_VALUE);
        workers.add(MediaWorker.start(transactions, new FailingCopies(store, failures), processor, options()));

        assertThat(awaitDone(product, doomed)).isEqualTo("failed");
        assertThat(query("SELECT failure_reason FROM images WHERE id = " + doomed))
                .startsWith("gave up after 5 attempts").doesNotContain("IOException", "the store is unavailable");
        assertThat(query("SELECT count(*) FROM media_jobs WHERE image_id = " + doomed)).isEqualTo("0");
    }

    /** The store, whose copyTo fails while {@code failures} counts down. */
    private record FailingCopies(BlobStore store, java.util.concurrent.atomic.AtomicInteger failures) implements BlobStore {

        @Override
        public Blob put(Blob blob, Path file, String contentType) throws java.io.IOException {
            return store.put(blob, file, contentType);
        }

        @Override
        public java.util.Optional<Long> size(String key) throws java.io.IOException {
            return store.size(key);
        }

        @Override
        public java.io.InputStream open(String key, long offset, long length) throws java.io.IOException {
            return store.open(key, offset, length);
        }

        @Override
        public void copyTo(String key, Path target) throws java.io.IOException {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new java.io.IOException("the store is unavailable");
            }
            store.copyTo(key, target);
        }

        @Override
        public void delete(String key) throws java.io.IOException {
            store.delete(key);
        }
    }

    private MediaWorker.Options options() {
        return MediaWorker.Options.of(ProcessingSettings.defaults())
                .withRetries(5, Duration.ofMillis(100), Duration.ofSeconds(1))
                .withCollection(Duration.ofHours(1), Duration.ofHours(1));
    }

    private MediaWorker start(MediaWorker.Options options) {
        MediaWorker worker = MediaWorker.start(transactions, store, processor, options);
        workers.add(worker);
        return worker;
    }

    private String awaitDone(long product, long image) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String status;
        do {
            status = query("SELECT status FROM images WHERE product_id = " + product + " AND id = " + image);
            if (!status.equals("processing")) {
                return status;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return status;
    }

    private static List<String> keys(String renditions) {
        List<String> keys = new ArrayList<>();
        Matcher m = KEY.matcher(renditions);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    /** This process's workers' temporary directories now (other processes on the machine have their own). */
    private static java.util.Set<Path> jobTempDirs() throws Exception {
        String mine = "media-job-" + ProcessHandle.current().pid() + "-";
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith(mine))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    /** An uploaded image as the upload will write it: 'processing', its original referenced, its job queued. */
    private long upload(long product, BlobStore.Blob original) throws SQLException {
        return transactions.inTransaction(c -> {
            long image = MediaFixtures.insert(c, blobs, product, original);
            jobs.enqueue(c, product, image);
            return image;
        });
    }

    private long insertImage(long product, BlobStore.Blob original) throws SQLException {
        return transactions.inTransaction(c -> MediaFixtures.insert(c, blobs, product, original));
    }

    private long product() throws SQLException {
        return Long.parseLong(query("INSERT INTO products (name) VALUES ('worker test') RETURNING id"));
    }

    private long version(long product) throws SQLException {
        return Long.parseLong(query("SELECT version FROM products WHERE id = " + product));
    }

    private String query(String sql) throws SQLException {
        return MediaFixtures.query(db, sql);
    }

    private void execute(String sql) throws SQLException {
        MediaFixtures.execute(db, sql);
    }
}
