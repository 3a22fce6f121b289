package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.media.ImageRejectedException.Reason;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFormatTest {

    @TempDir
    Path dir;

    @Test
    void each_accepted_format_is_known_by_its_bytes_whatever_the_file_is_called() throws Exception {
        Path jpeg = TestImages.jpeg(dir, 64, 48);
        Path png = TestImages.png(dir, 64, 48, true);
        Path gif = TestImages.write(TestImages.picture(64, 48, false), "gif", dir.resolve("picture.gif"));
        Path webp = TestImages.convert(jpeg, dir, "picture.webp");
        Path avif = TestImages.convert(jpeg, dir, "picture.avif[compression=av1]");

        assertThat(ImageFormat.sniff(renamed(jpeg, "a.png"))).isEqualTo(ImageFormat.JPEG);
        assertThat(ImageFormat.sniff(renamed(png, "b.jpg"))).isEqualTo(ImageFormat.PNG);
        assertThat(ImageFormat.sniff(renamed(gif, "c.bin"))).isEqualTo(ImageFormat.GIF);
        assertThat(ImageFormat.sniff(renamed(webp, "d"))).isEqualTo(ImageFormat.WEBP);
        assertThat(ImageFormat.sniff(renamed(avif, "e.heic"))).isEqualTo(ImageFormat.AVIF);
    }

    @Test
    void animated_gif_and_webp_are_accepted() throws Exception {
        Path gif = TestImages.animatedGif(dir, 40, List.of(Color.RED, Color.BLUE, Color.GREEN));
        Path webp = TestImages.convert(gif, dir, "animated.webp");
        TestImages.vips("vips", "copy", gif + "[n=-1]", webp.toString());

        assertThat(ImageFormat.sniff(gif)).isEqualTo(ImageFormat.GIF);
        assertThat(ImageFormat.sniff(webp)).isEqualTo(ImageFormat.WEBP);
    }

    @Test
    void zero_bytes_are_refused() throws Exception {
        assertRejected(Files.write(dir.resolve("empty"), new byte[0]), Reason.EMPTY);
    }

    @Test
    void svg_is_refused_with_or_without_an_xml_prolog_or_bom() throws Exception {
        assertRejected(text("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"), Reason.SVG);
        assertRejected(text("\uFEFF  <?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'/>"), Reason.SVG);
        assertRejected(text("<!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN' 'x'><svg/>"), Reason.SVG);
    }

    @Test
    void html_is_refused() throws Exception {
        assertRejected(text("<!doctype html><html><body><img src=x onerror=alert(1)></body></html>"), Reason.HTML);
        assertRejected(text("\n\n  <HTML><script>alert(1)</script>"), Reason.HTML);
    }

    @Test
    void a_jpeg_that_is_also_a_page_is_refused_as_a_polyglot() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestImages.jpeg(dir, 32, 32));
        // A COM segment right after SOI carrying a script: still a valid JPEG.
        byte[] comment = "<SCRIPT>alert(document.cookie)</SCRIPT>".getBytes(StandardCharsets.US_ASCII);
        var out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xff);
        out.write(0xfe);
        out.write((comment.length + 2) >> 8);
        out.write((comment.length + 2) & 0xff);
        out.write(comment);
        out.write(jpeg, 2, jpeg.length - 2);
        Path polyglot = Files.write(dir.resolve("polyglot.jpg"), out.toByteArray());
        TestImages.vips("vipsheader", polyglot.toString());

        assertRejected(polyglot, Reason.POLYGLOT);
    }

    @Test
    void markup_split_across_read_buffers_is_still_found() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestImages.jpeg(dir, 32, 32));
        byte[] padded = new byte[64 * 1024 * 2 + jpeg.length];
        System.arraycopy(jpeg, 0, padded, 0, jpeg.length - 2);
        byte[] script = "<script>".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(script, 0, padded, 64 * 1024 + 7 - 3, script.length);
        padded[padded.length - 2] = (byte) 0xff;
        padded[padded.length - 1] = (byte) 0xd9;

        assertRejected(Files.write(dir.resolve("split.jpg"), padded), Reason.POLYGLOT);
    }

    @Test
    void truncated_jpeg_png_and_webp_are_refused() throws Exception {
        Path jpeg = TestImages.jpeg(dir, 300, 200);
        Path png = TestImages.png(dir, 300, 200, false);
        Path webp = TestImages.convert(jpeg, dir, "picture.webp");

        assertRejected(TestImages.truncated(jpeg, 0.6), Reason.TRUNCATED);
        assertRejected(TestImages.truncated(png, 0.6), Reason.TRUNCATED);
        assertRejected(TestImages.truncated(webp, 0.6), Reason.TRUNCATED);
    }

    @Test
    void heic_and_unknown_bytes_are_refused() throws Exception {
        byte[] heic = new byte[32];
        System.arraycopy(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'}, 0, heic, 0, 24);
        assertRejected(Files.write(dir.resolve("photo.heic"), heic), Reason.HEIC);
        assertRejected(Files.write(dir.resolve("random.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), Reason.UNKNOWN_FORMAT);
        assertRejected(text("%PDF-1.7\n"), Reason.UNKNOWN_FORMAT);
    }

    @Test
    void a_content_type_that_disagrees_with_the_bytes_is_refused() throws Exception {
        ImageFormat png = ImageFormat.sniff(TestImages.png(dir, 8, 8, false));

        assertThat(png.requireDeclared("image/png; charset=binary")).isEqualTo(ImageFormat.PNG);
        assertThat(png.requireDeclared("application/octet-stream")).isEqualTo(ImageFormat.PNG);
        assertThatThrownBy(() -> png.requireDeclared("image/jpeg"))
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONTENT_TYPE_MISMATCH);
                    assertThat(e.reason().status()).isEqualTo(415);
                    assertThat(e.getMessage()).isEqualTo("the body is image/png but Content-Type says image/jpeg");
                });
    }

    private Path text(String content) throws Exception {
        return Files.writeString(dir.resolve("text-" + content.hashCode()), content);
    }

    private Path renamed(Path file, String name) throws Exception {
        return Files.copy(file, dir.resolve(name));
    }

    private static void assertRejected(Path file, Reason reason) {
        assertThatThrownBy(() -> ImageFormat.sniff(file))
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }
}
