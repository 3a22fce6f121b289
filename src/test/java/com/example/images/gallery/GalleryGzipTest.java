package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.http.Gzip;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Gzipped bytes are made on the first request that wants them and then kept with the entry. */
class GalleryGzipTest {

    private static final byte[] BODY = ("{\"productId\":7,\"images\":[" + "{\"url\":\"https://cdn.example.com/7/1.jpg\"},".repeat(40)
            + "{}]}").getBytes(StandardCharsets.UTF_8);

    @Test
    void a_gallery_read_from_the_database_is_not_compressed_until_asked() throws IOException {
        GalleryJson plain = GalleryJson.of(7, BODY, 3);
        assertThat(plain.gzipped()).isNull();

        GalleryJson gzipped = plain.withGzip();
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.gzipped())).readAllBytes()).isEqualTo(BODY);
        assertThat(gzipped.withGzip()).isSameAs(gzipped);
        assertThat(gzipped.weight()).isEqualTo(plain.weight() + gzipped.gzipped().length);
    }

    @Test
    void a_small_body_is_never_compressed() {
        GalleryJson small = GalleryJson.of(7, "{\"images\":[]}".getBytes(StandardCharsets.UTF_8), 1);
        assertThat(small.body().length).isLessThan(Gzip.MIN_BYTES);
        assertThat(small.withGzip()).isSameAs(small);
    }

    @Test
    void the_cache_keeps_the_gzipped_copy_unless_the_entry_changed_meanwhile() {
        var cache = new GalleryCache(1 << 20, Duration.ofMinutes(1));
        GalleryJson plain = GalleryJson.of(7, BODY, 3);
        cache.put(plain);

        GalleryJson gzipped = plain.withGzip();
        cache.replace(plain, gzipped);
        assertThat(cache.peek(7)).containsSame(gzipped);

        cache.invalidate(7);
        cache.replace(plain, gzipped);
        assertThat(cache.peek(7)).isEmpty();

        GalleryJson newer = GalleryJson.of(7, BODY.clone(), 4);
        cache.put(newer);
        cache.replace(plain, gzipped);
        assertThat(cache.peek(7)).containsSame(newer);
    }
}
