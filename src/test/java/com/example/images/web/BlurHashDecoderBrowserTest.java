package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.media.BlurHash;
import com.example.images.support.Browser;
import com.example.images.support.Fixtures;
import com.example.images.support.TestApp;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The widget's BlurHash decoder, run in Chromium, against the server's encoder ({@link BlurHash})
 * and woltapp/blurhash's reference decoder written out in Java here: same pixels within one level.
 */
class BlurHashDecoderBrowserTest {

    private static ChromeDriver browser;

    @BeforeAll
    static void openAPageWithTheWidget() {
        browser = Browser.start();
        var product = Fixtures.shared().placeholderProduct("BlurHash page", 1);
        var gallery = new GalleryPage(browser).open(TestApp.http().base() + "/products/" + product.id());
        gallery.awaitState("ready");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void the_widget_decodes_the_published_example_as_the_reference_decoder_does() {
        // The hash of woltapp/blurhash's README picture, 4 × 3 components.
        String hash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj";

        int[] widget = decodeInChromium(hash, 32, 32);

        assertThat(widget).hasSize(32 * 32 * 4);
        assertWithinOneLevel(widget, ReferenceDecoder.decode(hash, 32, 32));
    }

    @Test
    void hashes_the_server_encodes_decode_in_the_widget_to_the_reference_pixels_and_the_picture_colours() {
        for (var components : List.of(new int[] {4, 3}, new int[] {3, 4}, new int[] {1, 1}, new int[] {9, 9})) {
            BufferedImage picture = picture(48, 32);
            String hash = BlurHash.encode(components[0], components[1], 48, 32, rgb(picture));

            int[] widget = decodeInChromium(hash, 24, 16);

            assertWithinOneLevel(widget, ReferenceDecoder.decode(hash, 24, 16));
            // The DC term is the picture's mean colour: the decoded placeholder's mean stays close to it.
            double[] pictureMean = mean(rgba(picture), 48 * 32);
            double[] placeholderMean = mean(widget, 24 * 16);
            for (int c = 0; c < 3; c++) {
                assertThat(placeholderMean[c]).as("%s channel %d", hash, c).isCloseTo(pictureMean[c], org.assertj.core.data.Offset.offset(20.0));
            }
        }
    }

    @Test
    void what_is_not_a_hash_decodes_to_nothing_so_the_widget_falls_back_to_the_colour() {
        assertThat(browser.executeScript("const d = customElements.get('product-gallery').blurhash;"
                + "return [d('', 4, 4), d('LEHV6nWB2yk8', 4, 4), d('L', 4, 4)].every(p => p === null)")).isEqualTo(true);
    }

    @SuppressWarnings("unchecked")
    private static int[] decodeInChromium(String hash, int width, int height) {
        var pixels = (List<Number>) browser.executeScript(
                "return Array.from(customElements.get('product-gallery').blurhash(arguments[0], arguments[1], arguments[2]))",
                hash, width, height);
        return pixels.stream().mapToInt(Number::intValue).toArray();
    }

    private static void assertWithinOneLevel(int[] actual, int[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        int worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).as("largest difference of a channel").isLessThanOrEqualTo(1);
    }

    private static BufferedImage picture(int width, int height) {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(30, 90, 200), width, height, new Color(240, 200, 40)));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 4, height / 4);
        g.dispose();
        return image;
    }

    private static byte[] rgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int at = 3 * (y * w + x);
                out[at] = (byte) (p >> 16);
                out[at + 1] = (byte) (p >> 8);
                out[at + 2] = (byte) p;
            }
        }
        return out;
    }

    private static int[] rgba(BufferedImage image) {
        byte[] rgb = rgb(image);
        int[] out = new int[rgb.length / 3 * 4];
        for (int i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
            out[j] = rgb[i] & 0xff;
            out[j + 1] = rgb[i + 1] & 0xff;
            out[j + 2] = rgb[i + 2] & 0xff;
            out[j + 3] = 255;
        }
        return out;
    }

    private static double[] mean(int[] rgba, int pixels) {
        double[] sum = new double[3];
        for (int i = 0; i < pixels; i++) {
            for (int c = 0; c < 3; c++) {
                sum[c] += rgba[4 * i + c];
            }
        }
        return new double[] {sum[0] / pixels, sum[1] / pixels, sum[2] / pixels};
    }

    /** woltapp/blurhash's TypeScript decoder ({@code decode.ts}), line for line, in double precision. */
    static final class ReferenceDecoder {

        private static final String CHARACTERS =
                "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

        static int[] decode(String hash, int width, int height) {
            int sizeFlag = decode83(hash, 0, 1);
            int numY = sizeFlag / 9 + 1;
            int numX = sizeFlag % 9 + 1;
            double maximumValue = (decode83(hash, 1, 2) + 1) / 166.0;
            double[][] colors = new double[numX * numY][];
            for (int i = 0; i < colors.length; i++) {
                if (i == 0) {
                    int value = decode83(hash, 2, 6);
                    colors[i] = new double[] {sRgbToLinear(value >> 16), sRgbToLinear((value >> 8) & 255), sRgbToLinear(value & 255)};
                } else {
                    int value = decode83(hash, 4 + i * 2, 6 + i * 2);
                    colors[i] = new double[] {signPow((value / (19 * 19) - 9) / 9.0, 2) * maximumValue,
                        signPow((value / 19 % 19 - 9) / 9.0, 2) * maximumValue, signPow((value % 19 - 9) / 9.0, 2) * maximumValue};
                }
            }
            int[] pixels = new int[width * height * 4];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double r = 0;
                    double g = 0;
                    double b = 0;
                    for (int j = 0; j < numY; j++) {
                        for (int i = 0; i < numX; i++) {
                            double basis = Math.cos(Math.PI * x * i / width) * Math.cos(Math.PI * y * j / height);
                            double[] color = colors[i + j * numX];
                            r += color[0] * basis;
                            g += color[1] * basis;
                            b += color[2] * basis;
                        }
                    }
                    int at = 4 * (x + y * width);
                    pixels[at] = linearToSrgb(r);
                    pixels[at + 1] = linearToSrgb(g);
                    pixels[at + 2] = linearToSrgb(b);
                    pixels[at + 3] = 255;
                }
            }
            return pixels;
        }

        private static int decode83(String s, int from, int to) {
            int value = 0;
            for (int i = from; i < to; i++) {
                value = value * 83 + CHARACTERS.indexOf(s.charAt(i));
            }
            return value;
        }

        private static double sRgbToLinear(int value) {
            double v = value / 255.0;
            return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }

        private static int linearToSrgb(double value) {
            double v = Math.max(0, Math.min(1, value));
            return v <= 0.0031308 ? (int) (v * 12.92 * 255 + 0.5) : (int) ((1.055 * Math.pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
        }

        private static double signPow(double value, double exponent) {
            return Math.copySign(Math.pow(Math.abs(value), exponent), value);
        }
    }
}
