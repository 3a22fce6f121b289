package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** What the image JSON and the per-width URL make of a renditions column, whatever order the worker wrote it in. */
class RenditionsProperties {

    @Property
    void sources_are_avif_webp_jpeg_each_with_every_width_ascending(@ForAll @IntRange(min = 1, max = 20000) int original,
                                                                    @ForAll long shuffle) {
        List<Integer> widths = ImageProcessor.widthsFor(original);
        Renditions renditions = Renditions.parse(column(widths, shuffle).toJson());

        assertThat(renditions.sources()).extracting(Renditions.Source::type)
                .containsExactly("image/avif", "image/webp", "image/jpeg");
        for (Renditions.Source source : renditions.sources()) {
            String extension = ImageFormat.ofContentType(source.type()).orElseThrow().extension();
            List<String> expected = widths.stream().map(w -> "/media/" + key(w, extension) + " " + w + "w").toList();
            assertThat(source.srcset()).isEqualTo(String.join(", ", expected));
        }
        assertThat(renditions.widths()).isEqualTo(widths);
    }

    @Property
    void the_url_and_thumbnail_are_the_widest_and_narrowest_jpeg_and_each_width_is_found_per_format(
            @ForAll @IntRange(min = 1, max = 20000) int original, @ForAll long shuffle) {
        List<Integer> widths = ImageProcessor.widthsFor(original);
        Renditions renditions = column(widths, shuffle);

        assertThat(renditions.largest(ImageFormat.JPEG).orElseThrow().url()).isEqualTo("/media/" + key(widths.getLast(), "jpg"));
        assertThat(renditions.smallest(ImageFormat.JPEG).orElseThrow().url()).isEqualTo("/media/" + key(widths.getFirst(), "jpg"));
        for (ImageFormat format : Renditions.SOURCE_FORMATS) {
            for (int w : widths) {
                assertThat(renditions.find(format, w).orElseThrow().key()).isEqualTo(key(w, format.extension()));
            }
            assertThat(renditions.find(format, widths.getLast() + 1)).isEmpty();
        }
        assertThat(renditions.find(ImageFormat.PNG, widths.getFirst())).isEmpty();
    }

    /** A column as the worker writes it (any order), with a made-up key per format and width. */
    private static Renditions column(List<Integer> widths, long shuffle) {
        var entries = new ArrayList<Renditions.Stored>();
        for (ImageFormat format : Renditions.SOURCE_FORMATS) {
            for (int w : widths) {
                entries.add(new Renditions.Stored(format.contentType(), w, w / 2 + 1, key(w, format.extension()), 1000L + w));
            }
        }
        Collections.shuffle(entries, new Random(shuffle));
        return new Renditions(entries);
    }

    private static String key(int width, String extension) {
        return String.format("%064x", width) + "." + extension;
    }
}
