package com.example.images.media;

import java.awt.image.BufferedImage;

/**
 * What a tiny picture (about 32 px, already flattened onto white) says about the image: its
 * dominant colour and its BlurHash.
 */
record Swatch(String color, String placeholder) {

    /** The placeholder's components along the longer side; 3 along the shorter (BlurHash's usual 4x3). */
    private static final int COMPONENTS = 4;

    static Swatch of(BufferedImage tiny) {
        int w = tiny.getWidth();
        int h = tiny.getHeight();
        byte[] rgb = new byte[3 * w * h];
        // Colours quantised to 4 bits per channel; the fullest bucket's mean is the dominant colour.
        int[] count = new int[4096];
        long[] sum = new long[4096 * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = tiny.getRGB(x, y);
                int a = argb >>> 24;
                int r = over(argb >> 16 & 0xff, a);
                int g = over(argb >> 8 & 0xff, a);
                int b = over(argb & 0xff, a);
                int at = 3 * (y * w + x);
                rgb[at] = (byte) r;
                rgb[at + 1] = (byte) g;
                rgb[at + 2] = (byte) b;
                int bucket = (r >> 4) << 8 | (g >> 4) << 4 | b >> 4;
                count[bucket]++;
                sum[3 * bucket] += r;
                sum[3 * bucket + 1] += g;
                sum[3 * bucket + 2] += b;
            }
        }
        int best = 0;
        for (int i = 1; i < count.length; i++) {
            if (count[i] > count[best]) {
                best = i;
            }
        }
        String color = String.format("#%02x%02x%02x", sum[3 * best] / count[best], sum[3 * best + 1] / count[best],
                sum[3 * best + 2] / count[best]);
        int xComponents = w >= h ? COMPONENTS : COMPONENTS - 1;
        int yComponents = w >= h ? COMPONENTS - 1 : COMPONENTS;
        return new Swatch(color, BlurHash.encode(xComponents, yComponents, w, h, rgb));
    }

    /** The channel over white. */
    private static int over(int channel, int alpha) {
        return (channel * alpha + 255 * (255 - alpha) + 127) / 255;
    }
}
