package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link BlobStore} does, run against each store over a real backend. */
abstract class BlobStoreContract {

    @TempDir
    Path dir;

    abstract BlobStore store();

    @Test
    void a_blob_is_kept_under_the_sha256_of_its_bytes() throws Exception {
        byte[] bytes = "hello, blob".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("a"), bytes);
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));

        BlobStore.Blob blob = store().put(file, "jpg", "image/jpeg");

        assertThat(blob).isEqualTo(new BlobStore.Blob(sha256 + ".jpg", bytes.length, sha256));
        assertThat(store().size(blob.key())).contains((long) bytes.length);
        try (InputStream in = store().open(blob.key(), 0, bytes.length)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (InputStream in = store().open(blob.key(), 7, 4)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("blob");
        }
        Path copy = dir.resolve("copy");
        store().copyTo(blob.key(), copy);
        assertThat(copy).hasBinaryContent(bytes);
    }

    @Test
    void the_same_bytes_are_stored_once_and_other_bytes_apart() throws Exception {
        Path one = Files.writeString(dir.resolve("one"), "same bytes " + System.nanoTime());
        Path again = Files.copy(one, dir.resolve("again"));
        Path other = Files.writeString(dir.resolve("other"), "other bytes " + System.nanoTime());

        var first = store().put(one, "png", "image/png");
        var second = store().put(again, "png", "image/png");
        var third = store().put(other, "png", "image/png");

        assertThat(second).isEqualTo(first);
        assertThat(third.key()).isNotEqualTo(first.key());
        assertThat(stored()).contains(first.key(), third.key()).doesNotHaveDuplicates();
    }

    @Test
    void concurrent_puts_of_the_same_bytes_leave_one_whole_blob() throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024];
        new java.util.Random(42).nextBytes(bytes);
        Path file = Files.write(dir.resolve("big"), bytes);
        List<Future<BlobStore.Blob>> puts = new ArrayList<>();
        try (var executor = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 6; i++) {
                puts.add(executor.submit((Callable<BlobStore.Blob>) () -> store().put(file, "webp", "image/webp")));
            }
        }
        String key = puts.getFirst().get().key();
        for (var put : puts) {
            assertThat(put.get().key()).isEqualTo(key);
        }
        Path copy = dir.resolve("copy");
        store().copyTo(key, copy);
        assertThat(copy).hasBinaryContent(bytes);
        assertThat(stored().stream().filter(k -> k.equals(key))).hasSize(1);
    }

    @Test
    void a_deleted_blob_is_gone_and_deleting_again_is_harmless() throws Exception {
        var blob = store().put(Files.writeString(dir.resolve("d"), "to delete " + System.nanoTime()), "avif", "image/avif");

        store().delete(blob.key());
        store().delete(blob.key());

        assertThat(store().size(blob.key())).isEmpty();
        assertThatThrownBy(() -> store().open(blob.key(), 0, 1).readAllBytes()).isInstanceOf(NoSuchFileException.class);
        assertThat(stored()).doesNotContain(blob.key());
    }

    @Test
    void keys_that_are_not_a_digest_and_an_extension_are_refused() {
        for (String key : List.of("../../etc/passwd", "a".repeat(64) + ".jpg/../x", "A".repeat(64) + ".jpg", "abc.jpg")) {
            assertThatThrownBy(() -> store().size(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The keys of every blob the backend holds, as it lists them. */
    abstract List<String> stored() throws Exception;
}
