package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.db.Transactions;
import com.example.images.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue and the blobs' references against the shared embedded PostgreSQL. */
class MediaJobsTest {

    private static final Duration LEASE = Duration.ofMinutes(5);

    private final DataSource db = TestDatabase.shared().dataSource();
    private final Transactions transactions = new Transactions(db);
    private final MediaBlobs blobs = new MediaBlobs(transactions);
    private final MediaJobs jobs = new MediaJobs(transactions, blobs);

    @TempDir
    Path dir;

    @BeforeEach
    void emptyQueue() throws SQLException {
        // Only these tests queue jobs; each starts from an empty queue so a claim finds its own.
        execute("DELETE FROM media_jobs");
    }

    @Test
    void images_added_by_the_existing_sql_are_ready_with_no_media_columns() throws SQLException {
        long product = product();
        execute("INSERT INTO images (product_id, position, url, thumbnail_url) VALUES (" + product + ", 0, 'https://x/a.jpg', 'https://x/t.jpg')");

        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, failure_reason, original_key, renditions FROM images WHERE product_id = " + product)) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ready");
            assertThat(rs.getString(2)).isNull();
            assertThat(rs.getString(3)).isNull();
            assertThat(rs.getString(4)).isNull();
        }
        assertThatThrownBy(() -> execute("UPDATE images SET status = 'done' WHERE product_id = " + product))
                .isInstanceOf(SQLException.class).hasMessageContaining("images_status_check");
    }

    @Test
    void a_completed_job_makes_its_image_ready_once_and_bumps_the_product_version() throws Exception {
        long product = product();
        long image = upload(product, blob("original-a", "jpg"));
        long version = version(product);

        MediaJobs.Job job = jobs.claim("worker-1", LEASE).orElseThrow();
        assertThat(job.productId()).isEqualTo(product);
        assertThat(job.imageId()).isEqualTo(image);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(jobs.claim("worker-2", LEASE)).as("a held job is not claimed twice").isEmpty();

        var rendition = blob("rendition-a", "avif");
        assertThat(jobs.complete(job, "worker-1", ready(rendition))).isTrue();
        assertThat(jobs.complete(job, "worker-1", ready(rendition))).as("done once").isFalse();

        assertThat(status(product, image)).isEqualTo("ready");
        assertThat(version(product)).isEqualTo(version + 1);
        assertThat(blobs.refs(rendition.key())).isEqualTo(1);
        assertThat(jobs.claim("worker-1", LEASE)).isEmpty();
    }

    @Test
    void a_job_whose_holder_died_is_claimed_again_and_the_late_holder_changes_nothing() throws Exception {
        long product = product();
        long image = upload(product, blob("original-b", "png"));

        MediaJobs.Job first = jobs.claim("killed-instance", Duration.ofMillis(200)).orElseThrow();
        Thread.sleep(400);
        MediaJobs.Job second = jobs.claim("live-instance", LEASE).orElseThrow();

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(jobs.fail(first, "killed-instance", "late")).isFalse();
        assertThat(jobs.complete(first, "killed-instance", ready(blob("late", "avif")))).isFalse();
        assertThat(status(product, image)).isEqualTo("processing");
        assertThat(jobs.complete(second, "live-instance", ready(blob("rendition-b", "avif")))).isTrue();
        assertThat(status(product, image)).isEqualTo("ready");
    }

    @Test
    void concurrent_claims_take_different_jobs() throws Exception {
        long product = product();
        for (int i = 0; i < 6; i++) {
            upload(product, blob("original-c" + i, "jpg"));
        }
        List<CompletableFuture<Optional<MediaJobs.Job>>> claims = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String worker = "worker-" + i;
            claims.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return jobs.claim(worker, LEASE);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Long> ids = new java.util.ArrayList<>();
        for (var claim : claims) {
            claim.get(30, TimeUnit.SECONDS).ifPresent(job -> ids.add(job.id()));
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids.size() + drain()).isEqualTo(6);
    }

    @Test
    void a_failed_job_marks_its_image_failed_with_the_reason_and_a_passing_failure_runs_again_later() throws Exception {
        long product = product();
        long doomed = upload(product, blob("original-d", "jpg"));
        long flaky = upload(product, blob("original-e", "jpg"));

        MediaJobs.Job one = jobs.claim("w", LEASE).orElseThrow();
        MediaJobs.Job two = jobs.claim("w", LEASE).orElseThrow();
        MediaJobs.Job failing = one.imageId() == doomed ? one : two;
        MediaJobs.Job retried = one.imageId() == doomed ? two : one;
        assertThat(jobs.fail(failing, "w", "libvips: not a known file format")).isTrue();
        assertThat(jobs.retryLater(retried, "w", "store unavailable", Duration.ofMillis(300))).isTrue();

        assertThat(status(product, doomed)).isEqualTo("failed");
        assertThat(query("SELECT failure_reason FROM images WHERE product_id = " + product + " AND id = " + doomed))
                .isEqualTo("libvips: not a known file format");
        assertThat(status(product, flaky)).isEqualTo("processing");
        assertThat(jobs.claim("w", LEASE)).as("not due yet").isEmpty();
        Thread.sleep(500);
        MediaJobs.Job again = jobs.claim("w", LEASE).orElseThrow();
        assertThat(again.imageId()).isEqualTo(flaky);
        assertThat(again.attempts()).isEqualTo(2);
    }

    @Test
    void blobs_are_collected_once_no_image_references_them() throws Exception {
        var store = new FileBlobStore(dir.resolve("media"));
        Path bytes = Files.writeString(dir.resolve("photo"), "shared original " + System.nanoTime());
        var original = store.put(bytes, "jpg", "image/jpeg");
        long product = product();
        long other = product();
        long first = upload(product, original);
        upload(other, original);
        assertThat(blobs.refs(original.key())).isEqualTo(2);

        execute("DELETE FROM images WHERE product_id = " + product + " AND id = " + first);
        assertThat(blobs.refs(original.key())).isEqualTo(1);
        assertThat(blobs.collect(store, Duration.ZERO, 100)).doesNotContain(original.key());

        execute("DELETE FROM products WHERE id = " + other);
        assertThat(blobs.refs(original.key())).isZero();
        assertThat(blobs.collect(store, Duration.ofHours(1), 100)).as("within the grace period").doesNotContain(original.key());
        assertThat(store.size(original.key())).isPresent();

        assertThat(blobs.collect(store, Duration.ZERO, 100)).contains(original.key());
        assertThat(store.size(original.key())).isEmpty();
        assertThat(blobs.refs(original.key())).isEqualTo(-1);
    }

    @Test
    void the_collector_skips_a_blob_an_upload_is_referencing_right_now() throws Exception {
        var store = new FileBlobStore(dir.resolve("media"));
        var original = store.put(Files.writeString(dir.resolve("photo"), "racing " + System.nanoTime()), "jpg", "image/jpeg");
        transactions.inTransaction(c -> {
            blobs.register(c, original);
            return null;
        });
        try (Connection upload = db.getConnection()) {
            upload.setAutoCommit(false);
            blobs.reference(upload, original);

            assertThat(blobs.collect(store, Duration.ZERO, 100)).doesNotContain(original.key());
            upload.commit();
        }
        assertThat(blobs.refs(original.key())).isEqualTo(1);
        assertThat(store.size(original.key())).isPresent();
    }

    @Test
    void a_blob_stored_and_then_not_referenced_is_released_at_once_row_and_bytes() throws Exception {
        var store = new FileBlobStore(dir.resolve("media"));
        Path file = Files.writeString(dir.resolve("photo"), "refused upload " + System.nanoTime());

        var stored = blobs.storeOwn(store, file, ImageFormat.JPEG);

        assertThat(stored.stamp()).isPresent();
        assertThat(blobs.release(store, stored)).isTrue();
        assertThat(blobs.refs(stored.blob().key())).isEqualTo(-1);
        assertThat(store.size(stored.blob().key())).isEmpty();
        assertThat(blobs.release(store, stored)).as("twice is harmless").isFalse();
    }

    @Test
    void a_blob_another_upload_of_the_same_bytes_registered_or_referenced_meanwhile_is_not_released() throws Exception {
        var store = new FileBlobStore(dir.resolve("media"));
        Path file = Files.writeString(dir.resolve("photo"), "shared upload " + System.nanoTime());
        var first = blobs.storeOwn(store, file, ImageFormat.JPEG);
        var second = blobs.storeOwn(store, file, ImageFormat.JPEG);

        assertThat(blobs.release(store, first)).as("the second upload registered it since").isFalse();
        assertThat(store.size(first.blob().key())).isPresent();
        long product = product();
        upload(product, second.blob());
        assertThat(blobs.release(store, second)).as("referenced now").isFalse();
        assertThat(blobs.refs(second.blob().key())).isEqualTo(1);
        assertThat(store.size(second.blob().key())).isPresent();
    }

    @Test
    void a_release_waits_for_an_upload_registering_the_same_bytes_and_then_leaves_the_blob() throws Exception {
        var store = new FileBlobStore(dir.resolve("media"));
        Path file = Files.writeString(dir.resolve("photo"), "racing upload " + System.nanoTime());
        var first = blobs.storeOwn(store, file, ImageFormat.JPEG);
        try (Connection other = db.getConnection()) {
            other.setAutoCommit(false);
            blobs.register(other, first.blob());
            var release = CompletableFuture.supplyAsync(() -> {
                try {
                    return blobs.release(store, first);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(release).as("waits for the registering transaction's row lock").isNotDone();
            other.commit();

            assertThat(release.get(10, TimeUnit.SECONDS)).isFalse();
        }
        assertThat(blobs.refs(first.blob().key())).isZero();
        assertThat(store.size(first.blob().key())).isPresent();
    }

    /** An uploaded image as the upload will write it: 'processing', its original referenced, its job queued. */
    private long upload(long product, BlobStore.Blob original) throws SQLException {
        return transactions.inTransaction(c -> {
            long image = MediaFixtures.insert(c, blobs, product, original);
            jobs.enqueue(c, product, image);
            return image;
        });
    }

    private static MediaJobs.Ready ready(BlobStore.Blob rendition) {
        return new MediaJobs.Ready("/media/" + rendition.key(), "/media/" + rendition.key(), 640, 480, "#336699",
                "LVHet82swxX8l}WDjte;gJfjfQfj",
                "[{\"type\":\"image/avif\",\"width\":640,\"height\":480,\"key\":\"" + rendition.key() + "\",\"bytes\":1}]",
                List.of(rendition));
    }

    private BlobStore.Blob blob(String content, String extension) throws Exception {
        String unique = content + " " + System.nanoTime();
        Path file = Files.writeString(dir.resolve(content), unique);
        return new BlobStore.Blob(BlobStore.key(BlobStore.sha256(file), extension), Files.size(file), BlobStore.sha256(file));
    }

    private int drain() throws SQLException {
        int n = 0;
        while (jobs.claim("drain", LEASE).isPresent()) {
            n++;
        }
        return n;
    }

    private long product() throws SQLException {
        return Long.parseLong(query("INSERT INTO products (name) VALUES ('media test') RETURNING id"));
    }

    private long version(long product) throws SQLException {
        return Long.parseLong(query("SELECT version FROM products WHERE id = " + product));
    }

    private String status(long product, long image) throws SQLException {
        return query("SELECT status FROM images WHERE product_id = " + product + " AND id = " + image);
    }

    private String query(String sql) throws SQLException {
        return MediaFixtures.query(db, sql);
    }

    private void execute(String sql) throws SQLException {
        MediaFixtures.execute(db, sql);
    }
}
