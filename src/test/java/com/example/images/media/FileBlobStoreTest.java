package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
