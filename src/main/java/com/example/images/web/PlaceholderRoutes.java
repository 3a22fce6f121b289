package com.example.images.web;

import com.example.images.http.PathIds;
import com.example.images.http.ProblemException;
import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /img/{product}/{position}/{w}x{h}.svg}: a deterministic placeholder picture
 * per image, so that demo and seeded catalogs work with no internet.
 */
public final class PlaceholderRoutes implements Routes {

    private static final Pattern SIZE = Pattern.compile("([1-9][0-9]{0,3})x([1-9][0-9]{0,3})\\.svg");
    private static final int MAX_POSITION = 10_000;

    @Override
    public void addTo(RoutesConfig routes) {
        Routes.read(routes, "/img/{product}/{position}/{size}", this::placeholder);
    }

    void placeholder(Context ctx) {
        long product = PathIds.parse("product", ctx.pathParam("product"));
        String rawPosition = ctx.pathParam("position");
        if (!rawPosition.matches("0|[1-9][0-9]{0,4}") || Integer.parseInt(rawPosition) > MAX_POSITION) {
            throw ProblemException.invalidParameter("position",
                    "position must be an integer from 0 to " + MAX_POSITION + ", got '" + shorten(rawPosition) + "'");
        }
        Matcher size = SIZE.matcher(ctx.pathParam("size"));
        if (!size.matches()) {
            throw ProblemException.invalidParameter("size",
                    "size must look like 1200x1200.svg, with each side from 1 to 9999");
        }
        int position = Integer.parseInt(rawPosition);
        int width = Integer.parseInt(size.group(1));
        int height = Integer.parseInt(size.group(2));
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType("image/svg+xml").result(svg(product, position, width, height).getBytes(StandardCharsets.UTF_8));
    }

    static String svg(long product, int position, int width, int height) {
        long h = (product * 0x9E3779B97F4A7C15L) ^ (position * 0xC2B2AE3D27D4EB4FL);
        int hue = (int) Math.floorMod(h ^ (h >>> 29), 360L);
        int hue2 = (hue + 40) % 360;
        int min = Math.min(width, height);
        boolean thumbnail = min < 200;
        String label = thumbnail ? String.valueOf(position + 1)
                : "Product " + product + " · image " + (position + 1);
        int fontSize = Math.max(10, thumbnail ? min / 2 : min / 14);
        return """
                <svg xmlns="http://www.w3.org/2000/svg" width="%1$d" height="%2$d" viewBox="0 0 %1$d %2$d" role="img" aria-label="%6$s">\
                <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">\
                <stop offset="0" stop-color="hsl(%3$d,70%%,62%%)"/><stop offset="1" stop-color="hsl(%4$d,65%%,42%%)"/></linearGradient></defs>\
                <rect width="100%%" height="100%%" fill="url(#g)"/>\
                <circle cx="%7$d" cy="%8$d" r="%9$d" fill="#fff" fill-opacity=".18"/>\
                <text x="50%%" y="50%%" dominant-baseline="middle" text-anchor="middle" font-family="Roboto,Helvetica,Arial,sans-serif" \
                font-weight="300" font-size="%5$d" fill="#fff">%6$s</text></svg>
                """.formatted(width, height, hue, hue2, fontSize, label,
                width / 2 + (int) (Math.floorMod(h, 7L) - 3) * width / 12, height / 2, min / 3);
    }

    private static String shorten(String raw) {
        return raw.length() > 20 ? raw.substring(0, 20) + "…" : raw.replaceAll("\\p{Cntrl}", "?");
    }
}
