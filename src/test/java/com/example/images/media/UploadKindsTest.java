package com.example.images.media;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads that are unusual but valid are accepted and go through the worker: CMYK, 16 bits,
 * alpha, animation (the first frame), a huge EXIF block, a wrong or a turning orientation tag.
 * Their renditions, read back from the store with {@code vipsheader}, are 8-bit sRGB, the JPEGs
 * have no alpha, and none carries metadata.
 */
class UploadKindsTest {

    private static UploadService service;

    @TempDir
    Path dir;

    /** A rendition as the image's row lists it, with its file in the store. */
    private record Stored(String type, int width, int height, Path file) {
        Map<String, String> header() {
            return TestImages.header(file);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        service = UploadService.start(25L << 20);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void a_cmyk_jpeg_is_accepted_and_its_renditions_are_srgb() throws Exception {
        Path cmyk = TestImages.cmykJpeg(dir, 300, 200);
        assertThat(TestImages.header(cmyk)).containsEntry("interpretation", "cmyk");

        List<Stored> renditions = uploadAndProcess(cmyk, "image/jpeg", 300, 200);

        assertThat(renditions).allSatisfy(r -> assertThat(r.header()).containsEntry("interpretation", "srgb")
                .containsEntry("bands", "3").containsEntry("format", "uchar"));
    }

    @Test
    void a_sixteen_bit_png_with_alpha_is_accepted_with_eight_bit_renditions_and_jpegs_without_alpha() throws Exception {
        Path png16 = TestImages.png16(dir, 320, 200);
        assertThat(TestImages.header(png16)).containsEntry("format", "ushort").containsEntry("bands", "4");

        List<Stored> renditions = uploadAndProcess(png16, "image/png", 320, 200);

        assertEightBitSrgbWithAlphaOutsideJpeg(renditions);
    }

    @Test
    void a_png_with_alpha_is_accepted_and_its_jpegs_are_flattened() throws Exception {
        List<Stored> renditions = uploadAndProcess(TestImages.png(dir, 330, 200, true), "image/png", 330, 200);

        assertEightBitSrgbWithAlphaOutsideJpeg(renditions);
    }

    @Test
    void an_animated_gif_is_accepted_as_its_first_frame() throws Exception {
        Path gif = TestImages.animatedGif(dir, 200, List.of(Color.RED, Color.BLUE, Color.GREEN));

        assertFirstFrameOnly(uploadAndProcess(gif, "image/gif", 200, 200));
    }

    @Test
    void an_animated_webp_is_accepted_as_its_first_frame() throws Exception {
        Path webp = TestImages.animatedWebp(dir, 210, List.of(Color.RED, Color.BLUE, Color.GREEN));
        assertThat(TestImages.header(webp)).containsEntry("n-pages", "3");

        assertFirstFrameOnly(uploadAndProcess(webp, "image/webp", 210, 210));
    }

    @Test
    void a_huge_exif_block_is_accepted_and_no_rendition_carries_any_metadata() throws Exception {
        Path jpeg = TestImages.withExif(TestImages.jpeg(dir, 340, 200), 1, "SpyCam Industries", 60_000);
        assertThat(Files.size(jpeg)).isGreaterThan(60_000);
        assertThat(TestImages.header(jpeg)).as("the original has a GPS block").containsKey("exif-ifd3-GPSLatitudeRef");

        List<Stored> renditions = uploadAndProcess(jpeg, "image/jpeg", 340, 200);

        assertNoMetadata(renditions);
    }

    @Test
    void a_wrong_orientation_tag_is_ignored() throws Exception {
        Path jpeg = TestImages.withExif(TestImages.jpeg(dir, 350, 200), 9, "SpyCam Industries", 10);

        List<Stored> renditions = uploadAndProcess(jpeg, "image/jpeg", 350, 200);

        assertThat(renditions).filteredOn(r -> r.type().equals("image/jpeg")).extracting(Stored::width)
                .containsExactlyInAnyOrder(160, 320, 350);
        assertThat(renditions).allSatisfy(r -> assertThat(r.width()).isGreaterThan(r.height()));
        assertNoMetadata(renditions);
    }

    @Test
    void an_orientation_that_turns_the_image_gives_the_turned_size_from_the_202_on() throws Exception {
        Path jpeg = TestImages.withExif(TestImages.jpeg(dir, 360, 200), 6, "SpyCam Industries", 10);

        List<Stored> renditions = uploadAndProcess(jpeg, "image/jpeg", 200, 360);

        assertThat(renditions).as("every width turned once")
                .allSatisfy(r -> assertThat(r.height()).isGreaterThan(r.width()));
        assertThat(renditions).allSatisfy(r -> assertThat(r.header()).containsEntry("height", String.valueOf(r.height())));
        assertNoMetadata(renditions);
    }

    /**
     * Uploads the file to a new product, checks the 202's intrinsic size, waits for the worker
     * and returns the renditions of the ready image.
     */
    private List<Stored> uploadAndProcess(Path file, String contentType, int width, int height) throws Exception {
        var api = service.api();
        long id = api.createProduct("Upload " + file.getFileName(), 0).get("productId").asLong();
        var response = api.http().sendBytes("POST", "/api/products/" + id + "/images", Files.readAllBytes(file),
                "Authorization", "Bearer " + TestApp.TOKEN, "Content-Type", contentType);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode accepted = json(response);
        assertThat(accepted.get("width").asInt()).as("202 width").isEqualTo(width);
        assertThat(accepted.get("height").asInt()).as("202 height").isEqualTo(height);

        JsonNode processed = service.awaitProcessed(id, accepted.get("id").asLong());

        assertThat(processed.get("status").asText()).as(processed.toString()).isEqualTo("ready");
        assertThat(processed.get("width").asInt()).isEqualTo(width);
        assertThat(processed.get("height").asInt()).isEqualTo(height);
        return renditions(id, accepted.get("id").asLong());
    }

    private List<Stored> renditions(long productId, long imageId) throws SQLException, IOException {
        var store = new FileBlobStore(service.mediaRoot());
        try (Connection c = service.connect();
             PreparedStatement st = c.prepareStatement("""
                     SELECT r ->> 'type', (r ->> 'width')::int, (r ->> 'height')::int, r ->> 'key'
                     FROM images, jsonb_array_elements(renditions) AS r WHERE product_id = ? AND id = ?""")) {
            st.setLong(1, productId);
            st.setLong(2, imageId);
            List<Stored> renditions = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    renditions.add(new Stored(rs.getString(1), rs.getInt(2), rs.getInt(3), store.path(rs.getString(4))));
                }
            }
            assertThat(renditions).extracting(Stored::type).contains("image/avif", "image/webp", "image/jpeg");
            return renditions;
        }
    }

    private static void assertEightBitSrgbWithAlphaOutsideJpeg(List<Stored> renditions) {
        assertThat(renditions).allSatisfy(r -> assertThat(r.header()).containsEntry("format", "uchar")
                .containsEntry("interpretation", "srgb"));
        assertThat(renditions).filteredOn(r -> r.type().equals("image/jpeg"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.header()).containsEntry("bands", "3"));
        assertThat(renditions).filteredOn(r -> r.type().equals("image/webp"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.header()).containsEntry("bands", "4"));
    }

    /** Single-page renditions of the first (red) frame. */
    private static void assertFirstFrameOnly(List<Stored> renditions) throws IOException {
        assertThat(renditions).allSatisfy(r -> assertThat(r.header().getOrDefault("n-pages", "1")).isEqualTo("1"));
        for (Stored r : renditions.stream().filter(r -> r.type().equals("image/jpeg")).toList()) {
            BufferedImage pixels = ImageIO.read(r.file().toFile());
            Color centre = new Color(pixels.getRGB(pixels.getWidth() / 2, pixels.getHeight() / 2));
            assertThat(centre.getRed()).as("%s", r).isGreaterThan(200);
            assertThat(centre.getBlue()).as("%s", r).isLessThan(60);
        }
    }

    /** No EXIF (GPS included), ICC, XMP or IPTC field in any rendition, nor the camera's strings in its bytes. */
    private static void assertNoMetadata(List<Stored> renditions) throws IOException {
        for (Stored r : renditions) {
            assertThat(r.header().keySet()).as("%s", r)
                    .noneMatch(k -> k.startsWith("exif-") || k.startsWith("icc-") || k.startsWith("xmp-") || k.startsWith("iptc-"));
            String bytes = new String(Files.readAllBytes(r.file()), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as("%s", r).doesNotContain("SpyCam").doesNotContain("SERIAL-0042-SECRET").doesNotContain("Exif\0");
        }
    }
}
