package com.example.images.media;

/**
 * The BlurHash encoder (woltapp/blurhash's reference algorithm): a few DCT components of a
 * small sRGB picture in base 83, which a client decodes into a blurred placeholder. The
 * arithmetic is single precision as in the reference C encoder, so both give the same string.
 * No maintained Java BlurHash library is served from Maven Central; the algorithm is small.
 */
public final class BlurHash {

    private static final String CHARACTERS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    private BlurHash() {
    }

    /**
     * Encodes packed 8-bit RGB pixels ({@code rgb[3 * (y * width + x) + channel]}) with
     * {@code xComponents} by {@code yComponents} components, each from 1 to 9.
     */
    public static String encode(int xComponents, int yComponents, int width, int height, byte[] rgb) {
        if (xComponents < 1 || xComponents > 9 || yComponents < 1 || yComponents > 9) {
            throw new IllegalArgumentException("components must be from 1 to 9, got " + xComponents + "x" + yComponents);
        }
        if (width < 1 || height < 1 || rgb.length < 3 * width * height) {
            throw new IllegalArgumentException("need " + width + "x" + height + " RGB pixels, got " + rgb.length + " bytes");
        }
        float[] linear = new float[256];
        for (int i = 0; i < 256; i++) {
            linear[i] = sRgbToLinear(i);
        }
        float[][] factors = new float[xComponents * yComponents][];
        for (int y = 0; y < yComponents; y++) {
            for (int x = 0; x < xComponents; x++) {
                factors[y * xComponents + x] = basis(x, y, width, height, rgb, linear);
            }
        }
        var hash = new StringBuilder(4 + 2 * factors.length);
        encodeInt((xComponents - 1) + (yComponents - 1) * 9, 1, hash);
        float maximumValue;
        if (factors.length > 1) {
            float actualMaximum = 0;
            for (int i = 1; i < factors.length; i++) {
                for (float c : factors[i]) {
                    actualMaximum = Math.max(Math.abs(c), actualMaximum);
                }
            }
            int quantisedMaximum = (int) Math.max(0, Math.min(82, Math.floor(actualMaximum * 83 - 0.5)));
            maximumValue = ((float) quantisedMaximum + 1) / 83;
            encodeInt(quantisedMaximum, 1, hash);
        } else {
            maximumValue = 1;
            encodeInt(0, 1, hash);
        }
        float[] dc = factors[0];
        encodeInt((linearToSrgb(dc[0]) << 16) + (linearToSrgb(dc[1]) << 8) + linearToSrgb(dc[2]), 4, hash);
        for (int i = 1; i < factors.length; i++) {
            float[] ac = factors[i];
            encodeInt(quantise(ac[0], maximumValue) * 19 * 19 + quantise(ac[1], maximumValue) * 19 + quantise(ac[2], maximumValue), 2, hash);
        }
        return hash.toString();
    }

    private static float[] basis(int xComponent, int yComponent, int width, int height, byte[] rgb, float[] linear) {
        float r = 0;
        float g = 0;
        float b = 0;
        float normalisation = xComponent == 0 && yComponent == 0 ? 1 : 2;
        for (int y = 0; y < height; y++) {
            float yBasis = (float) Math.cos((float) (Math.PI * yComponent * y / height));
            for (int x = 0; x < width; x++) {
                float basis = (float) Math.cos((float) (Math.PI * xComponent * x / width)) * yBasis;
                int at = 3 * (y * width + x);
                r += basis * linear[rgb[at] & 0xff];
                g += basis * linear[rgb[at + 1] & 0xff];
                b += basis * linear[rgb[at + 2] & 0xff];
            }
        }
        float scale = normalisation / (width * height);
        return new float[] {r * scale, g * scale, b * scale};
    }

    private static int quantise(float value, float maximumValue) {
        return (int) Math.max(0, Math.min(18, Math.floor(signPow(value / maximumValue, 0.5f) * 9 + 9.5)));
    }

    private static float signPow(float value, float exponent) {
        return Math.copySign((float) Math.pow(Math.abs(value), exponent), value);
    }

    private static int linearToSrgb(float value) {
        float v = Math.max(0, Math.min(1, value));
        if (v <= 0.0031308) {
            return (int) (v * 12.92 * 255 + 0.5);
        }
        return (int) ((1.055 * (float) Math.pow(v, (float) (1 / 2.4)) - 0.055) * 255 + 0.5);
    }

    private static float sRgbToLinear(int value) {
        float v = (float) value / 255;
        if (v <= 0.04045) {
            return (float) (v / 12.92);
        }
        return (float) Math.pow((float) ((v + 0.055) / 1.055), (float) 2.4);
    }

    static void encodeInt(int value, int length, StringBuilder out) {
        int divisor = 1;
        for (int i = 0; i < length - 1; i++) {
            divisor *= 83;
        }
        for (int i = 0; i < length; i++) {
            out.append(CHARACTERS.charAt((value / divisor) % 83));
            divisor /= 83;
        }
    }
}
