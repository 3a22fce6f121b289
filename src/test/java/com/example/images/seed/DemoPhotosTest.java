package com.example.images.seed;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.db.DatabaseUrl;
import com.example.images.product.DemoPhotos;
import com.example.images.support.Http;
import com.example.images.support.ScratchDatabases;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** With libvips, a fresh service's demo gives its first products real photos through the upload path. */
class DemoPhotosTest {

    @Test
    void a_fresh_service_gives_product_1_ready_uploaded_photos_at_the_front_of_its_gallery() throws Exception {
        DatabaseUrl db = ScratchDatabases.create();
        var settings = Settings.defaults(TestDatabase.tempDir("images-demo-photos")).withDatabase(db)
                .withApiTokens(ApiTokens.of(TestApp.TOKEN));
        // A per-image limit far past what the photos take, however busy the machine: this checks the pipeline, not speed.
        var m = settings.media();
        settings = settings.withMedia(new Settings.MediaSettings(m.directory(), m.s3(), m.s3Endpoint(), m.maxUploadBytes(),
                m.maxImagePixels(), m.workers(), Duration.ofMinutes(10), Duration.ofMinutes(12)));
        try (Application app = Application.start(settings)) {
            int photos = DemoPhotos.photos(1);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (readyPhotos(db) < photos && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(readyPhotos(db)).as("product 1's demo photos ready").isEqualTo(photos);

            JsonNode gallery = json(new Http("http://127.0.0.1:" + app.port()).get("/api/products/1/images"));
            List<String> urls = new ArrayList<>();
            gallery.get("images").forEach(i -> urls.add(i.get("url").asText()));
            assertThat(urls.subList(0, photos)).allSatisfy(url -> assertThat(url).matches("/media/[0-9a-f]{64}\\.jpg"));
            assertThat(urls.subList(photos, urls.size())).as("the placeholders, behind the photos")
                    .noneMatch(url -> url.startsWith("/media/"));
            assertThat(gallery.get("images").get(0).get("alt").asText()).isEqualTo("Studio photo of a vase");
            assertThat(gallery.get("name").asText()).as("renamed after the object its photos show")
                    .isEqualTo(DemoPhotos.name(1, "vase"));
        }
    }

    @Test
    void a_demo_name_keeps_its_generated_words_and_ends_in_the_object() {
        String generated = DemoCatalog.productName(1);

        String name = DemoPhotos.name(1, StudioPhoto.subject(1));

        assertThat(StudioPhoto.subject(1)).isEqualTo("vase");
        assertThat(name).isEqualTo(generated.substring(0, generated.lastIndexOf(' ')) + " Vase");
    }

    @Test
    void every_photo_is_a_different_picture() {
        Set<Integer> hashes = new HashSet<>();
        for (long product = 1; product <= DemoPhotos.PRODUCTS; product++) {
            for (int shot = 0; shot < DemoPhotos.photos(product); shot++) {
                BufferedImage photo = StudioPhoto.paint(product, shot);
                assertThat(photo.getWidth()).isEqualTo(StudioPhoto.WIDTH);
                int[] pixels = photo.getRGB(0, 0, photo.getWidth(), photo.getHeight(), null, 0, photo.getWidth());
                var bytes = ByteBuffer.allocate(pixels.length * 4);
                bytes.asIntBuffer().put(pixels);
                hashes.add(java.util.Arrays.hashCode(bytes.array()));
            }
        }
        assertThat(hashes).hasSize(5 + 4 + 3);
    }

    /** Product 1's uploaded images that are ready with renditions, at the front of its gallery. */
    private static int readyPhotos(DatabaseUrl db) throws SQLException {
        try (Connection c = ScratchDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT count(*) FROM images
                     WHERE product_id = 1 AND original_key IS NOT NULL AND status = 'ready' AND renditions IS NOT NULL
                       AND position < 5""")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
