package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.media.ImageRejectedException.Reason;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VipsCliProcessorTest {

    private static final VipsCliProcessor VIPS = new VipsCliProcessor(ProcessingSettings.defaults());

    @TempDir
    Path dir;

    @Test
    void a_large_jpeg_gets_fifteen_renditions_at_the_listed_widths() throws Exception {
        Path original = TestImages.jpeg(dir, 3000, 2000);
        ImageInfo info = probe(original);
        assertThat(info).isEqualTo(new ImageInfo(ImageFormat.JPEG, 3000, 2000, 1, false));

        RenditionSet set = VIPS.renditions(original, info, dir.resolve("out"));

        assertThat(set.width()).isEqualTo(3000);
        assertThat(set.height()).isEqualTo(2000);
        assertThat(set.renditions()).hasSize(15);
        for (ImageFormat format : List.of(ImageFormat.AVIF, ImageFormat.WEBP, ImageFormat.JPEG)) {
            assertThat(set.renditions().stream().filter(r -> r.format() == format).map(Rendition::width))
                    .containsExactlyInAnyOrder(160, 320, 640, 1280, 2048);
        }
        for (Rendition r : set.renditions()) {
            assertThat(ImageFormat.sniff(r.file())).isEqualTo(r.format());
            assertThat(r.bytes()).isEqualTo(Files.size(r.file())).isPositive();
            assertThat(r.height()).isBetween(r.width() * 2 / 3 - 1, r.width() * 2 / 3 + 1);
            assertThat(header(r.file())).containsEntry("width", String.valueOf(r.width()))
                    .containsEntry("height", String.valueOf(r.height()));
        }
        assertThat(set.color()).matches("#[0-9a-f]{6}");
        assertThat(set.placeholder()).hasSize(28);
    }

    @Test
    void webp_avif_and_gif_originals_are_probed_by_their_own_loaders() throws Exception {
        Path jpeg = TestImages.jpeg(dir, 240, 120);
        Path webp = TestImages.convert(jpeg, dir, "picture.webp");
        Path avif = TestImages.convert(jpeg, dir, "picture.avif[compression=av1]");
        Path gif = TestImages.write(TestImages.picture(240, 120, false), "gif", dir.resolve("picture.gif"));

        assertThat(probe(webp)).isEqualTo(new ImageInfo(ImageFormat.WEBP, 240, 120, 1, false));
        assertThat(probe(avif)).isEqualTo(new ImageInfo(ImageFormat.AVIF, 240, 120, 1, false));
        assertThat(probe(gif).width()).isEqualTo(240);
        assertThat(VIPS.renditions(avif, probe(avif), dir.resolve("out")).renditions()).hasSize(6);
    }

    @Test
    void a_small_image_is_never_upscaled() throws Exception {
        Path original = TestImages.png(dir, 500, 300, false);

        RenditionSet set = VIPS.renditions(original, probe(original), dir.resolve("out"));

        assertThat(set.renditions().stream().map(Rendition::width).distinct()).containsExactlyInAnyOrder(160, 320, 500);
        assertThat(set.renditions()).allSatisfy(r -> assertThat(r.width()).isLessThanOrEqualTo(500));
    }

    @Test
    void exif_orientation_is_applied_and_every_piece_of_metadata_is_stripped() throws Exception {
        Path original = TestImages.withExif(TestImages.jpeg(dir, 400, 200), 6, "ACME-CAMERA", 100);
        ImageInfo info = probe(original);
        assertThat(info.width()).isEqualTo(200);
        assertThat(info.height()).isEqualTo(400);

        RenditionSet set = VIPS.renditions(original, info, dir.resolve("out"));

        assertThat(set.width()).isEqualTo(200);
        assertThat(set.height()).isEqualTo(400);
        Rendition top = set.renditions().stream().filter(r -> r.format() == ImageFormat.JPEG && r.width() == 200).findFirst().orElseThrow();
        assertThat(top.height()).isEqualTo(400);
        // The red block was in the top-left corner; turned 90 degrees clockwise it is in the top-right.
        BufferedImage pixels = ImageIO.read(top.file().toFile());
        assertThat(new Color(pixels.getRGB(190, 10)).getRed()).isGreaterThan(200);
        assertThat(new Color(pixels.getRGB(10, 10)).getRed()).isLessThan(150);
        assertThat(set.renditions()).as("every width turned once, not twice")
                .allSatisfy(r -> assertThat(header(r.file())).containsEntry("height", String.valueOf(r.width() * 2)));
        for (Rendition r : set.renditions()) {
            // Upright at every width, not turned again from the upright top.v (which keeps the tag).
            Map<String, String> size = header(r.file());
            assertThat(Integer.parseInt(size.get("height"))).as(r.file().getFileName().toString())
                    .isEqualTo(2 * Integer.parseInt(size.get("width")));
            assertThat(header(r.file()).keySet()).as(r.file().getFileName().toString())
                    .noneMatch(k -> k.startsWith("exif") || k.startsWith("icc") || k.startsWith("xmp") || k.startsWith("iptc"));
            String bytes = new String(Files.readAllBytes(r.file()), StandardCharsets.ISO_8859_1);
            assertThat(bytes).doesNotContain("ACME").doesNotContain("SERIAL").doesNotContain("Exif");
        }
    }

    @Test
    void a_huge_exif_block_and_a_wrong_orientation_tag_are_harmless() throws Exception {
        Path original = TestImages.withExif(TestImages.jpeg(dir, 400, 200), 9, "ACME", 60_000);

        ImageInfo info = probe(original);
        RenditionSet set = VIPS.renditions(original, info, dir.resolve("out"));

        assertThat(info.width()).isEqualTo(400);
        assertThat(set.renditions()).allSatisfy(r -> assertThat(r.bytes()).isLessThan(60_000));
    }

    @Test
    void cmyk_becomes_srgb() throws Exception {
        Path cmyk = TestImages.cmykJpeg(dir, 300, 200);
        assertThat(header(cmyk)).containsEntry("interpretation", "cmyk");

        RenditionSet set = VIPS.renditions(cmyk, probe(cmyk), dir.resolve("out"));

        assertThat(set.renditions()).allSatisfy(r -> assertThat(header(r.file()))
                .containsEntry("interpretation", "srgb").containsEntry("bands", "3")
                .containsEntry("format", "uchar"));
        // The red block stays red through CMYK and back.
        BufferedImage pixels = ImageIO.read(set.renditions().stream()
                .filter(r -> r.format() == ImageFormat.JPEG && r.width() == 300).findFirst().orElseThrow().file().toFile());
        Color corner = new Color(pixels.getRGB(5, 5));
        assertThat(corner.getRed()).isGreaterThan(180);
        assertThat(corner.getGreen()).isLessThan(90);
    }

    @Test
    void a_sixteen_bit_png_with_alpha_gets_eight_bit_renditions_and_a_jpeg_on_white() throws Exception {
        Path png16 = TestImages.png16(dir, 320, 200);
        assertThat(header(png16)).containsEntry("format", "ushort").containsEntry("bands", "4");
        ImageInfo info = probe(png16);
        assertThat(info.alpha()).isTrue();

        RenditionSet set = VIPS.renditions(png16, info, dir.resolve("out"));

        assertThat(set.renditions()).allSatisfy(r -> assertThat(header(r.file())).containsEntry("format", "uchar"));
        Rendition jpeg = set.renditions().stream().filter(r -> r.format() == ImageFormat.JPEG && r.width() == 320).findFirst().orElseThrow();
        assertThat(header(jpeg.file())).containsEntry("bands", "3");
        // The gradient starts fully transparent at the top-left, away from the red block: white there.
        Color transparent = new Color(ImageIO.read(jpeg.file().toFile()).getRGB(100, 2));
        assertThat(transparent.getRed()).isGreaterThan(200);
        assertThat(transparent.getGreen()).isGreaterThan(200);
        assertThat(transparent.getBlue()).isGreaterThan(200);
        Rendition webp = set.renditions().stream().filter(r -> r.format() == ImageFormat.WEBP && r.width() == 320).findFirst().orElseThrow();
        assertThat(header(webp.file())).containsEntry("bands", "4");
    }

    @Test
    void an_animated_gif_becomes_its_first_frame() throws Exception {
        Path gif = TestImages.animatedGif(dir, 200, List.of(Color.RED, Color.BLUE, Color.GREEN));
        ImageInfo info = probe(gif);
        assertThat(info.pages()).isEqualTo(3);
        assertThat(info.animated()).isTrue();
        assertThat(info.height()).isEqualTo(200);

        RenditionSet set = VIPS.renditions(gif, info, dir.resolve("out"));

        Color color = Color.decode(set.color());
        assertThat(color.getRed()).as(set.color()).isGreaterThan(200);
        assertThat(color.getGreen()).as(set.color()).isLessThan(60);
        assertThat(color.getBlue()).as(set.color()).isLessThan(60);
        assertThat(set.renditions()).allSatisfy(r -> {
            assertThat(r.height()).isEqualTo(r.width());
            assertThat(header(r.file()).getOrDefault("n-pages", "1")).isEqualTo("1");
        });
    }

    @Test
    void a_decompression_bomb_is_refused_from_its_header() throws Exception {
        Path bomb = TestImages.pngBomb(dir);

        assertThatThrownBy(() -> probe(bomb)).isInstanceOfSatisfying(ImageRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
            assertThat(e.getMessage()).isEqualTo("the image declares 100000x100000 = 10000000000 pixels; the limit is 50000000");
        });
        var strict = new VipsCliProcessor(ProcessingSettings.defaults().withMaxImagePixels(9_999));
        assertThatThrownBy(() -> strict.probe(TestImages.png(dir, 100, 100, false), ImageFormat.PNG))
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS));
    }

    @Test
    void bytes_that_only_start_like_an_image_are_unreadable() throws Exception {
        byte[] junk = new byte[2000];
        junk[0] = (byte) 0xff;
        junk[1] = (byte) 0xd8;
        junk[2] = (byte) 0xff;
        junk[1998] = (byte) 0xff;
        junk[1999] = (byte) 0xd9;
        Path file = Files.write(dir.resolve("junk.jpg"), junk);

        assertThatThrownBy(() -> probe(file)).isInstanceOfSatisfying(ImageRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
            assertThat(e.getMessage()).doesNotContain(dir.toString());
        });
    }

    @Test
    void processing_past_the_time_limit_fails() throws Exception {
        Path original = TestImages.jpeg(dir, 3000, 2000);
        var hasty = new VipsCliProcessor(ProcessingSettings.defaults().withTimeout(Duration.ofMillis(50)));

        assertThatThrownBy(() -> hasty.renditions(original, probe(original), dir.resolve("out")))
                .isInstanceOf(ProcessingException.class).hasMessage("timed out after 50 ms");
        try (var left = Files.list(dir.resolve("out"))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith(".work-"))).isEmpty();
        }
    }

    @Test
    void without_libvips_uploads_are_off_and_say_so() {
        var missing = new VipsCliProcessor(ProcessingSettings.defaults(), "/nonexistent/vips", "/nonexistent/vipsheader");

        assertThat(VIPS.available()).isTrue();
        assertThat(missing.available()).isFalse();
        assertThat(missing.unavailableReason()).isEqualTo("uploads are off until libvips is installed (apt-get install libvips-tools)");
        assertThatThrownBy(() -> missing.probe(dir, ImageFormat.JPEG)).isInstanceOf(ProcessingException.class)
                .hasMessage(missing.unavailableReason());
    }

    private static ImageInfo probe(Path file) throws Exception {
        return VIPS.probe(file, ImageFormat.sniff(file));
    }

    private static Map<String, String> header(Path file) {
        return TestImages.header(file);
    }
}
