package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BlurHashTest {

    /** woltapp/blurhash's published base 83 vectors (CSharp/Blurhash.Core.Test/Base83Test.cs). */
    @ParameterizedTest
    @CsvSource({"1092,2,DD", "1092,4,00DD", "1337,2,G9", "1337,3,0G9", "83,2,10", "83,3,010"})
    void base83_matches_the_reference_vectors(int value, int length, String expected) {
        var out = new StringBuilder();
        BlurHash.encodeInt(value, length, out);
        assertThat(out.toString()).isEqualTo(expected);
    }

    /**
     * Hashes of generated pictures as woltapp/blurhash's reference C encoder (C/encode.c,
     * blurHashForPixels) computes them for the same pixels.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
            "0 32 32 4 3 LVHet82swxX8l}WDjte;gJfjfQfj",
            "1 20 12 4 4 UDG~#u0:Ojw$0=X%wLN^J{wLO5sU$lNwsiWq",
            "2 8 8 1 1 007p:A",
            "3 30 40 3 4 TtLqdb|^sUq7kAfQf%fQfQm?jafQ",
            "3 30 40 9 9 |tLqdb|^sUK3fQxFsUSzfQq7kAfQbZfQkAfQf%fQf%fQfQfQfQfQfQfQfQm?jafQazfQjafQf7fQfQfQfQfQfQfQfQfQfQo_j@fQbGfQj@fQfjfQf%fQfQfQfQfQfQfQfQnSjafQazfQjafQf7fQfQfQfQfQfQfQfQfQfQ",
    })
    void hashes_match_the_reference_encoder(int pattern, int width, int height, int xComponents, int yComponents, String expected) {
        assertThat(BlurHash.encode(xComponents, yComponents, width, height, pixels(pattern, width, height))).isEqualTo(expected);
    }

    @Test
    void components_outside_one_to_nine_are_refused() {
        assertThatThrownBy(() -> BlurHash.encode(0, 3, 2, 2, new byte[12])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlurHash.encode(4, 10, 2, 2, new byte[12])).isInstanceOf(IllegalArgumentException.class);
    }

    /** The reference vectors' pictures, pixel for pixel. */
    static byte[] pixels(int pattern, int w, int h) {
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                final int px = x;
                final int py = y;
                IntFunction<Integer> channel = switch (pattern) {
                    case 0 -> c -> c == 0 ? px * 255 / (w - 1) : c == 1 ? py * 255 / (h - 1) : 128;
                    case 1 -> c -> c == 0 ? (px * 7 + py * 13) % 256 : c == 1 ? (px * py) % 256 : ((px / 4 + py / 4) % 2) != 0 ? 230 : 20;
                    case 2 -> c -> c == 0 ? 66 : c == 1 ? 133 : 244;
                    default -> c -> c == 0 ? (px < w / 2 ? 255 : 0) : c == 1 ? (py < h / 2 ? 255 : 0) : ((px + py) % 3) * 100;
                };
                for (int c = 0; c < 3; c++) {
                    rgb[3 * (y * w + x) + c] = (byte) (int) channel.apply(c);
                }
            }
        }
        return rgb;
    }
}
