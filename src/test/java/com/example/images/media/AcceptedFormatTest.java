package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The format a per-width URL sends for an {@code Accept} header, from browsers' real headers to edge cases. */
class AcceptedFormatTest {

    private static final List<ImageFormat> ALL = Renditions.SOURCE_FORMATS;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // Chromium, Firefox, Safari 17, Safari 15 (no AVIF), curl, no header
            "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8 | AVIF",
            "image/avif,image/webp,*/* | AVIF",
            "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5 | AVIF",
            "image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5 | WEBP",
            "image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5 | JPEG",
            "*/* | JPEG",
            "NONE | JPEG",
            // q-values: 0 refuses, the most specific range decides, any other weight accepts
            "image/avif;q=0,image/webp,image/* | WEBP",
            "image/avif;q=0.1 | AVIF",
            "image/avif;q=0,image/webp;q=0,*/* | JPEG",
            "image/jpeg;q=0,image/* | NONE",
            "image/*;q=0,image/jpeg | JPEG",
            "*/*;q=0 | NONE",
            "image/png | NONE",
            "image/avif;q=0.000 | NONE",
            // spelling: case, spaces, parameters, quoted commas
            "IMAGE/WEBP | WEBP",
            "  image/webp ; q=0.5 ,  image/jpeg | WEBP",
            "image/webp;profile=\"a,b\";q=0.4 | WEBP",
            "image/avif;q=0,image/avif;q=1 | AVIF",
            "text/html,application/xhtml+xml | NONE",
    })
    void chooses(String accept, String expected) {
        var chosen = AcceptedFormat.choose(accept, ALL);

        assertThat(chosen.map(Enum::name).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"image/avif,image/webp,*/*", "image/*"})
    void only_offered_formats_are_chosen(String accept) {
        assertThat(AcceptedFormat.choose(accept, List.of(ImageFormat.JPEG))).contains(ImageFormat.JPEG);
        assertThat(AcceptedFormat.choose("image/avif", List.of(ImageFormat.WEBP, ImageFormat.JPEG))).isEmpty();
    }
}
