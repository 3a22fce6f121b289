package com.example.images.web;

import com.example.images.http.EntityTags;
import com.example.images.http.Gzip;
import com.example.images.http.ProblemException;
import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The widget's static files, read once from the classpath. Each is served at a
 * content-hashed URL ({@code /assets/{hash}/gallery.js}, cached forever) and at a stable
 * URL ({@code /assets/gallery.js}, revalidated) for pages of other services that embed it.
 */
public final class Assets implements Routes {

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private record Asset(byte[] bytes, byte[] gzipped, String hash, String contentType) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public Assets(String... names) {
        for (String name : names) {
            byte[] bytes = read("/web/" + name);
            String extension = name.substring(name.lastIndexOf('.') + 1);
            assets.put(name, new Asset(bytes, Gzip.compressIfWorthIt(bytes), sha256(bytes).substring(0, 12), TYPES.getOrDefault(extension, "application/octet-stream")));
        }
    }

    /** The cache-forever URL of an asset, for pages that this service renders. */
    public String url(String name) {
        Asset asset = assets.get(name);
        if (asset == null) {
            throw new IllegalArgumentException("no asset named " + name);
        }
        return "/assets/" + asset.hash() + "/" + name;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        Routes.read(routes, "/assets/{hash}/{name}", this::hashed);
        Routes.read(routes, "/assets/{name}", this::stable);
    }

    void hashed(Context ctx) {
        Asset asset = find(ctx.pathParam("name"));
        if (!asset.hash().equals(ctx.pathParam("hash"))) {
            // An old page asking for an old version: send the current one, briefly cached.
            serve(ctx, asset, "public, max-age=60");
            return;
        }
        serve(ctx, asset, IMMUTABLE);
    }

    void stable(Context ctx) {
        serve(ctx, find(ctx.pathParam("name")), "public, max-age=300, must-revalidate");
    }

    private Asset find(String name) {
        Asset asset = assets.get(name);
        if (asset == null) {
            throw ProblemException.notFound("There is no asset named '" + name + "'.");
        }
        return asset;
    }

    private static void serve(Context ctx, Asset asset, String cacheControl) {
        String etag = "\"" + asset.hash() + "\"";
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", etag);
        if (EntityTags.noneMatch(EntityTags.header(ctx, "If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.header("Vary", "Accept-Encoding");
        ctx.contentType(asset.contentType());
        if (asset.gzipped() != null && Gzip.accepted(ctx.header("Accept-Encoding"))) {
            ctx.header("Content-Encoding", "gzip").result(asset.gzipped());
        } else {
            ctx.result(asset.bytes());
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
