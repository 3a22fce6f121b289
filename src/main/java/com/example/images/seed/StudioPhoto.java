package com.example.images.seed;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * A product photo painted with Java2D, for the demo: a lit studio wall and table, and on it an
 * object (a mug, a vase, a bottle, a box or a lamp) with its shadow and highlight. A product is
 * one object in one colour; each of its shots has a backdrop, light, size and framing of its own.
 */
public final class StudioPhoto {

    public static final int WIDTH = 1200;
    public static final int HEIGHT = 900;

    private static final String[] OBJECTS = {"mug", "vase", "bottle", "box", "lamp"};

    private StudioPhoto() {
    }

    /** What every photo of {@code product} shows, for its name and alt text. */
    public static String subject(long product) {
        return OBJECTS[(int) (product % OBJECTS.length)];
    }

    public static BufferedImage paint(long product, int shot) {
        // Hues a golden ratio apart, so that neighbouring products differ in colour.
        float objectHue = (float) (product * 0.618034 % 1.0);
        Color body = Color.getHSBColor(objectHue, 0.55f + (float) new SplittableRandom(product).nextDouble() * 0.35f, 0.8f);
        var random = new SplittableRandom(product * 1_000_003L + shot);
        var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            // The backdrop, in a hue far from the object's, so that it always stands out.
            float hue = objectHue + 0.4f + (float) random.nextDouble() * 0.2f;
            int horizon = (int) (HEIGHT * (0.55 + random.nextDouble() * 0.15));
            float lightX = (float) (WIDTH * (0.2 + random.nextDouble() * 0.6));

            // The wall: a soft spot of light on a tinted backdrop.
            g.setPaint(new RadialGradientPaint(lightX, horizon * 0.4f, WIDTH * 0.8f, new float[] {0f, 1f},
                    new Color[] {Color.getHSBColor(hue, 0.08f, 0.98f), Color.getHSBColor(hue, 0.25f, 0.55f)}));
            g.fillRect(0, 0, WIDTH, horizon);
            // The table, darker towards the viewer.
            g.setPaint(new GradientPaint(0, horizon, Color.getHSBColor(hue + 0.08f, 0.3f, 0.75f), 0, HEIGHT,
                    Color.getHSBColor(hue + 0.08f, 0.35f, 0.35f)));
            g.fillRect(0, horizon, WIDTH, HEIGHT - horizon);

            double scale = 0.8 + random.nextDouble() * 0.4;
            int objectWidth = (int) (WIDTH * 0.28 * scale);
            int objectHeight = (int) (HEIGHT * 0.5 * scale);
            int cx = (int) (WIDTH * (0.35 + random.nextDouble() * 0.3));
            int base = horizon + (int) ((HEIGHT - horizon) * 0.45);

            // Its shadow falls away from the light.
            double away = (cx - lightX) / WIDTH;
            g.setColor(new Color(0, 0, 0, 70));
            g.fill(new Ellipse2D.Double(cx - objectWidth * 0.6 + away * objectWidth, base - objectWidth * 0.12,
                    objectWidth * 1.3, objectWidth * 0.24));

            var shape = object(subject(product), cx, base, objectWidth, objectHeight);
            g.setPaint(new GradientPaint(cx - objectWidth / 2f, 0, body.brighter(), cx + objectWidth / 2f, 0,
                    body.darker().darker()));
            g.fill(shape);
            g.setStroke(new BasicStroke(3f));
            g.setColor(body.darker());
            g.draw(shape);
            // A highlight on the side facing the light.
            float side = lightX < cx ? -0.28f : 0.18f;
            g.setPaint(new GradientPaint(0, base - objectHeight, new Color(255, 255, 255, 150), 0, base,
                    new Color(255, 255, 255, 0)));
            g.fill(new RoundRectangle2D.Double(cx + side * objectWidth, base - objectHeight * 0.9, objectWidth * 0.08,
                    objectHeight * 0.75, 20, 20));
        } finally {
            g.dispose();
        }
        return image;
    }

    private static java.awt.Shape object(String kind, int cx, int base, int w, int h) {
        double left = cx - w / 2.0;
        double top = base - h;
        return switch (kind) {
            case "mug" -> union(new RoundRectangle2D.Double(left, base - h * 0.6, w * 0.8, h * 0.6, 30, 30),
                    new BasicStroke((float) (w * 0.07)).createStrokedShape(new Arc2D.Double(left + w * 0.62,
                            base - h * 0.5, w * 0.32, h * 0.35, -90, 180, Arc2D.OPEN)));
            case "vase" -> {
                var vase = new Path2D.Double();
                vase.moveTo(cx - w * 0.18, top);
                vase.curveTo(cx - w * 0.15, top + h * 0.25, cx - w * 0.6, top + h * 0.45, cx - w * 0.3, base);
                vase.lineTo(cx + w * 0.3, base);
                vase.curveTo(cx + w * 0.6, top + h * 0.45, cx + w * 0.15, top + h * 0.25, cx + w * 0.18, top);
                vase.closePath();
                yield vase;
            }
            case "bottle" -> {
                var bottle = new Path2D.Double(new RoundRectangle2D.Double(cx - w * 0.3, top + h * 0.35, w * 0.6, h * 0.65, 40, 40));
                bottle.append(new RoundRectangle2D.Double(cx - w * 0.1, top, w * 0.2, h * 0.4, 12, 12), false);
                yield bottle;
            }
            case "box" -> new RoundRectangle2D.Double(left, base - h * 0.55, w, h * 0.55, 8, 8);
            default -> {
                var lamp = new Path2D.Double();
                lamp.moveTo(cx - w * 0.45, top + h * 0.35);
                lamp.lineTo(cx - w * 0.2, top);
                lamp.lineTo(cx + w * 0.2, top);
                lamp.lineTo(cx + w * 0.45, top + h * 0.35);
                lamp.closePath();
                lamp.append(new java.awt.Rectangle((int) (cx - w * 0.04), (int) (top + h * 0.35), (int) (w * 0.08),
                        (int) (h * 0.55)), false);
                lamp.append(new Ellipse2D.Double(cx - w * 0.3, base - h * 0.1, w * 0.6, h * 0.1), false);
                yield lamp;
            }
        };
    }

    private static java.awt.Shape union(java.awt.Shape a, java.awt.Shape b) {
        var area = new Area(a);
        area.add(new Area(b));
        return area;
    }
}
