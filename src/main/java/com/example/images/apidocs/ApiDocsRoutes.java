package com.example.images.apidocs;

import com.example.images.http.EntityTags;
import com.example.images.http.ProblemException;
import com.example.images.http.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /openapi.json}, the hand-maintained OpenAPI 3.1 document of the API (a test keeps
 * it equal to the registered routes), and {@code GET /docs}, Swagger UI from its webjar, served
 * from this process: the page loads nothing from any other host.
 */
public final class ApiDocsRoutes implements Routes {

    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_VERSION = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";

    /** The files /docs may serve, and where each comes from; nothing else is reachable. */
    private record DocsFile(String resource, String contentType) {
    }

    private final byte[] openApi;
    private final String swaggerVersion;
    private final Map<String, DocsFile> files;
    // Swagger UI is 2 MB, so it is read on the first /docs visit rather than at every start.
    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    public ApiDocsRoutes() {
        this.openApi = read("/apidocs/openapi.json");
        this.swaggerVersion = webjarVersion();
        String webjar = WEBJAR + swaggerVersion + "/";
        this.files = Map.of(
                "swagger-ui.css", new DocsFile(webjar + "swagger-ui.css", "text/css; charset=utf-8"),
                "swagger-ui-bundle.js", new DocsFile(webjar + "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
                "favicon-32x32.png", new DocsFile(webjar + "favicon-32x32.png", "image/png"),
                "docs.js", new DocsFile("/apidocs/docs.js", "text/javascript; charset=utf-8"));
    }

    @Override
    public void addTo(RoutesConfig routes) {
        Routes.read(routes, "/openapi.json", this::openApi);
        Routes.read(routes, "/docs", this::page);
        Routes.read(routes, "/docs/{file}", this::file);
    }

    void openApi(Context ctx) {
        ctx.header("Cache-Control", "no-cache")
                .header("Access-Control-Allow-Origin", "*")
                .contentType("application/json")
                .result(openApi);
    }

    void page(Context ctx) {
        ctx.header("Cache-Control", "no-cache").contentType("text/html; charset=utf-8").result("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>images API</title>
                <link rel="stylesheet" href="/docs/swagger-ui.css">
                <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
                </head>
                <body>
                <div id="swagger-ui"></div>
                <script src="/docs/swagger-ui-bundle.js"></script>
                <script src="/docs/docs.js"></script>
                </body>
                </html>
                """);
    }

    void file(Context ctx) {
        String name = ctx.pathParam("file");
        DocsFile file = files.get(name);
        if (file == null) {
            throw ProblemException.notFound("There is no file /docs/" + (name.length() > 60 ? name.substring(0, 60) + "…" : name)
                    + "; the API documentation is at /docs.");
        }
        byte[] bytes = loaded.computeIfAbsent(name, n -> read(file.resource()));
        String etag = "\"swagger-ui-" + swaggerVersion + "-" + Integer.toHexString(Arrays.hashCode(bytes)) + "\"";
        ctx.header("Cache-Control", "public, max-age=3600").header("ETag", etag);
        if (EntityTags.noneMatch(EntityTags.header(ctx, "If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(file.contentType()).result(bytes);
    }

    private static String webjarVersion() {
        var properties = new Properties();
        try (InputStream in = ApiDocsRoutes.class.getResourceAsStream(WEBJAR_VERSION)) {
            if (in == null) {
                throw new IllegalStateException("the Swagger UI webjar (org.webjars:swagger-ui) is not on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = ApiDocsRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
