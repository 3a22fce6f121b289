package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileBlobStoreTest extends BlobStoreContract {

    private FileBlobStore store;

    @BeforeEach
    void open() throws Exception {
        store = new FileBlobStore(dir.resolve("media"));
    }

    @Override
    BlobStore store() {
        return store;
    }

    @Override
    List<String> stored() throws Exception {
        try (var files = Files.walk(store.root())) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void blobs_sit_under_two_hex_digits_and_no_temporary_file_stays() throws Exception {
        var blob = store.put(Files.writeString(dir.resolve("x"), "fan-out"), "jpg", "image/jpeg");

        assertThat(store.path(blob.key())).isEqualTo(store.root().resolve(blob.key().substring(0, 2)).resolve(blob.key()));
        assertThat(store.path(blob.key())).exists();
        try (var files = Files.walk(store.root())) {
            assertThat(files.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
                    .allMatch(name -> name.matches(BlobStore.KEY.pattern()));
        }
    }

    @Test
    void instances_sharing_the_directory_store_the_same_bytes_while_readers_only_ever_see_them_whole() throws Exception {
        byte[] bytes = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("shared"), bytes);
        String key = BlobStore.describe(file, "jpg").key();
        List<FileBlobStore> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.add(new FileBlobStore(store.root()));
        }
        var writing = new AtomicBoolean(true);
        List<Future<Integer>> readers = new ArrayList<>();
        try (var executor = Executors.newFixedThreadPool(6)) {
            for (int r = 0; r < 2; r++) {
                readers.add(executor.submit(() -> readWhole(key, bytes, writing)));
            }
            List<Future<BlobStore.Blob>> puts = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (FileBlobStore instance : instances) {
                    // As the worker does when a job is processed twice: the same bytes, stored anew.
                    Files.deleteIfExists(instance.path(key));
                    puts.add(executor.submit((Callable<BlobStore.Blob>) () -> instance.put(file, "jpg", "image/jpeg")));
                }
            }
            for (var put : puts) {
                assertThat(put.get().key()).isEqualTo(key);
            }
            writing.set(false);
            for (var reader : readers) {
                assertThat(reader.get()).as("whole reads").isPositive();
            }
        }

        assertThat(store.path(key)).hasBinaryContent(bytes);
        assertThat(stored()).containsExactly(key);
    }

    @Test
    void blobs_and_their_directories_are_readable_by_every_user_so_nginx_can_serve_them() throws Exception {
        var blob = store.put(Files.writeString(dir.resolve("public"), "served by nginx"), "webp", "image/webp");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path(blob.key())))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path(blob.key()).getParent())))
                .isEqualTo("rwxr-xr-x");
    }

    /** Reads the blob until writing stops; every read that finds it must find all of it. */
    private int readWhole(String key, byte[] bytes, AtomicBoolean writing) throws Exception {
        int whole = 0;
        while (writing.get() || whole == 0) {
            Path path = store.path(key);
            byte[] read;
            try {
                read = Files.readAllBytes(path);
            } catch (java.nio.file.NoSuchFileException absent) {
                continue;
            }
            assertThat(read).as("a blob read while others store it").isEqualTo(bytes);
            whole++;
        }
        return whole;
    }
}
