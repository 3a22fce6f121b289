package com.example.images.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Ports;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Media in the fleet: {@code bin/cluster} runs NGINX, 2 instances sharing one file media store,
 * and the embedded PostgreSQL. Uploads go through nginx; nginx serves the stored blobs itself and
 * caches the negotiated per-width URLs by format; and a kill -9 of the instance processing an
 * image loses no acknowledged upload.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetMediaIT {

    /** Short, so a killed instance's job is taken over soon; longer than an image takes here, with the timeout below it. */
    private static final long LEASE_MS = Long.getLong("fleetmedia.leaseMs", 45_000);
    private static final long TIMEOUT_MS = LEASE_MS - 5_000;
    private static final int UPLOADS = 4;
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Pattern LEASED_BY = Pattern.compile("media-(\\d+)-.*");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Fleet fleet;
    private static Path run;
    private static Path media;
    private static String token;
    private static String base;
    private static String jdbcUrl;
    /** The ready image of the first test: its product and id. */
    private static long readyProduct;
    private static long readyImage;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new Fleet("fleetmedia");
        run = fleet.run;
        token = fleet.token;
        media = run.resolve("media");
        // No demo catalog: its photos would queue jobs of their own beside the test's.
        fleet.environment.putAll(Map.of("IMAGES_MEDIA_LEASE_MS", String.valueOf(LEASE_MS),
                "IMAGES_MEDIA_TIMEOUT_MS", String.valueOf(TIMEOUT_MS), "IMAGES_NO_DEMO_DATA", "true"));
        int nginxPort = fleet.nginxPort;
        int dbPort = Ports.free();
        fleet.cluster("up", "--instances", "2", "--port", String.valueOf(nginxPort), "--base-port", String.valueOf(Fleet.freeRange(2)),
                "--db-port", String.valueOf(dbPort), "--data-dir", run.resolve("data").toString(),
                "--media-store", media.toString(), "--write-rate", "1000r/s");
        base = "http://127.0.0.1:" + nginxPort;
        jdbcUrl = "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres?user=postgres";
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.down();
        }
    }

    @Test
    @Order(1)
    void an_image_uploaded_through_nginx_is_served_by_nginx_itself_from_the_shared_store() throws Exception {
        long productId = newProduct();
        long imageId = upload(productId, photo(1200, 800, 1));
        awaitReady(List.of(imageId), Duration.ofMillis(LEASE_MS * 4));
        readyProduct = productId;
        readyImage = imageId;
        Map<String, Rendition> renditions = renditions(imageId);
        Rendition jpeg = renditions.values().stream().filter(r -> r.type().equals("image/jpeg"))
                .max(java.util.Comparator.comparingInt(Rendition::width)).orElseThrow();
        Rendition avif = renditions.values().stream().filter(r -> r.type().equals("image/avif")).findFirst().orElseThrow();
        Rendition webp = renditions.values().stream().filter(r -> r.type().equals("image/webp")).findFirst().orElseThrow();
        byte[] stored = Files.readAllBytes(blob(jpeg.key()));
        assertThat(query("SELECT url FROM images WHERE id = " + imageId)).isEqualTo("/media/" + jpeg.key());

        var get = get("/media/" + jpeg.key());
        var head = send(HttpRequest.newBuilder(URI.create(base + "/media/" + jpeg.key()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        var range = get("/media/" + jpeg.key(), "Range", "bytes=100-1123");
        var notModified = get("/media/" + jpeg.key(), "If-None-Match", get.headers().firstValue("ETag").orElseThrow());
        var missing = get("/media/" + "0".repeat(64) + ".jpg");

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(stored);
        assertThat(get.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(get.headers().firstValue("Cache-Control")).contains(IMMUTABLE);
        assertThat(get.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(get.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(get.headers().firstValue("ETag")).hasValueSatisfying(tag -> assertThat(tag).matches("\"[^\"]+\""));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(stored.length));
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 100-1123/" + stored.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(stored, 100, 1124));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(get("/media/" + avif.key()).headers().firstValue("Content-Type")).contains("image/avif");
        assertThat(get("/media/" + webp.key()).headers().firstValue("Content-Type")).contains("image/webp");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(missing.headers().firstValue("Cache-Control")).isEmpty();

        // nginx logs the instance that answered each request: none did for /media/<key>.
        List<String> mediaLines = Files.readAllLines(run.resolve("logs/nginx-access.log")).stream()
                .filter(line -> line.matches(".*\"(GET|HEAD) /media/[0-9a-f]{64}\\.\\w+ .*")).toList();
        assertThat(mediaLines).hasSize(7).allSatisfy(line -> assertThat(line).endsWith("upstream=- ustatus=-"));
    }

    @Test
    @Order(2)
    void a_negotiated_width_is_fetched_from_an_instance_once_per_format_and_then_served_from_nginx_s_cache() throws Exception {
        Assumptions.assumeTrue(readyImage > 0, "the first test made an image ready");
        String path = "/media/images/" + readyProduct + "/" + readyImage + "/640";
        Map<String, Rendition> byType = new LinkedHashMap<>();
        renditions(readyImage).values().stream().filter(r -> r.width() == 640).forEach(r -> byType.put(r.type(), r));

        var chromium = get(path, "Accept", "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8");
        var avifAgain = get(path, "Accept", "image/avif");
        var webp = get(path, "Accept", "image/webp,*/*");
        var jpeg = get(path, "Accept", "image/avif;q=0, image/webp;q=0, */*");
        var range = get(path, "Accept", "image/avif", "Range", "bytes=0-99");
        var missingWidth = get("/media/images/" + readyProduct + "/" + readyImage + "/2048", "Accept", "image/avif");

        assertThat(chromium.statusCode()).isEqualTo(200);
        assertThat(chromium.headers().firstValue("Content-Type")).contains("image/avif");
        assertThat(chromium.headers().firstValue("Vary")).contains("Accept");
        assertThat(chromium.headers().firstValue("Cache-Control")).contains(IMMUTABLE);
        assertThat(chromium.headers().firstValue("X-Cache-Status")).contains("MISS");
        assertThat(chromium.body()).isEqualTo(Files.readAllBytes(blob(byType.get("image/avif").key())));
        // Another Accept string that chooses AVIF is the same cache entry.
        assertThat(avifAgain.headers().firstValue("X-Cache-Status")).contains("HIT");
        assertThat(avifAgain.body()).isEqualTo(chromium.body());
        assertThat(webp.headers().firstValue("Content-Type")).contains("image/webp");
        assertThat(webp.headers().firstValue("X-Cache-Status")).contains("MISS");
        assertThat(webp.body()).isEqualTo(Files.readAllBytes(blob(byType.get("image/webp").key())));
        assertThat(jpeg.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(jpeg.body()).isEqualTo(Files.readAllBytes(blob(byType.get("image/jpeg").key())));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("X-Cache-Status")).contains("HIT");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(chromium.body(), 0, 100));
        assertThat(missingWidth.statusCode()).isEqualTo(404);
        assertThat(missingWidth.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    @Order(3)
    void kill_9_of_the_instance_processing_an_image_loses_no_acknowledged_upload() throws Exception {
        long productId = newProduct();
        List<Long> acknowledged = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            acknowledged.add(upload(productId, photo(1200, 800, 10 + i)));
        }

        Job victim = awaitLeasedJob(acknowledged);
        long pid = Long.parseLong(LEASED_BY.matcher(victim.leasedBy()).replaceFirst("$1"));
        assertThat(instancePids()).as("the worker's process is an instance").contains(pid);
        new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor();
        // Its job is still held by the dead worker: the image was mid-processing when it died.
        assertThat(query("SELECT leased_by FROM media_jobs WHERE image_id = " + victim.imageId()))
                .isEqualTo(victim.leasedBy());

        awaitReady(acknowledged, Duration.ofMillis(LEASE_MS + UPLOADS * TIMEOUT_MS + 60_000));
        assertThat(instancePids()).as("the supervisor started the killed instance again").doesNotContain(pid).hasSize(2);
        assertThat(query("SELECT count(*) FROM media_jobs WHERE image_id IN (" + String.join(",",
                acknowledged.stream().map(String::valueOf).toList()) + ")")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM images WHERE product_id = " + productId))
                .as("one image per acknowledged upload").isEqualTo(String.valueOf(UPLOADS));
        for (long imageId : acknowledged) {
            Map<String, Rendition> renditions = renditions(imageId);
            // 1200 px wide: 160, 320, 640 and 1200, in AVIF, WebP and JPEG.
            assertThat(renditions).as("renditions of image %d", imageId).hasSize(12);
            for (Rendition r : renditions.values()) {
                assertThat(blob(r.key())).as("stored rendition %s", r.key()).exists().hasSize(r.bytes());
                // Referenced once, by this image: the dead worker's partial work is referenced by nothing.
                assertThat(query("SELECT refs FROM media_blobs WHERE key = '" + r.key() + "'")).isEqualTo("1");
                assertThat(get("/media/" + r.key()).statusCode()).isEqualTo(200);
            }
        }
    }

    // --- uploads, images, jobs -------------------------------------------------------------------

    record Rendition(String type, int width, String key, long bytes) {
    }

    record Job(long imageId, String leasedBy) {
    }

    private static long newProduct() throws Exception {
        var created = send(HttpRequest.newBuilder(URI.create(base + "/api/products"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Fleet media\",\"images\":[]}")));
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        return Long.parseLong(group("\"(?:productId|id)\"\\s*:\\s*(\\d+)", text(created)));
    }

    /** Uploads the JPEG through nginx; the image's id, once the upload is acknowledged (202). */
    private static long upload(long productId, byte[] jpeg) throws Exception {
        var response = send(HttpRequest.newBuilder(URI.create(base + "/api/products/" + productId + "/images"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "image/jpeg")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)));
        assertThat(response.statusCode()).as(text(response)).isEqualTo(202);
        String location = response.headers().firstValue("Location").orElseThrow();
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    private static void awaitReady(List<Long> imageIds, Duration patience) throws Exception {
        String ids = String.join(",", imageIds.stream().map(String::valueOf).toList());
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            String statuses = query("SELECT string_agg(id || ':' || status || coalesce(' ' || failure_reason, ''), ', ' ORDER BY id)"
                    + " FROM images WHERE id IN (" + ids + ")");
            assertThat(statuses).as("statuses").doesNotContain(":failed");
            if (!statuses.contains(":processing")) {
                return;
            }
            assertThat(System.nanoTime()).as("every image ready within %s: %s", patience, statuses).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The job of these images that a worker claimed last, so the worker is far from done with it. */
    private static Job awaitLeasedJob(List<Long> imageIds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String ids = String.join(",", imageIds.stream().map(String::valueOf).toList());
        while (true) {
            try (Connection c = DriverManager.getConnection(jdbcUrl);
                 ResultSet rs = c.createStatement().executeQuery("SELECT image_id, leased_by FROM media_jobs WHERE image_id IN ("
                         + ids + ") AND leased_until > now() ORDER BY leased_until DESC LIMIT 1")) {
                if (rs.next()) {
                    return new Job(rs.getLong(1), rs.getString(2));
                }
            }
            assertThat(System.nanoTime()).as("a worker claimed one of the uploads").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Map<String, Rendition> renditions(long imageId) throws SQLException {
        Map<String, Rendition> byKey = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             ResultSet rs = c.createStatement().executeQuery("SELECT r->>'type', (r->>'width')::int, r->>'key', (r->>'bytes')::bigint"
                     + " FROM images, jsonb_array_elements(renditions) r WHERE id = " + imageId)) {
            while (rs.next()) {
                byKey.put(rs.getString(3), new Rendition(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4)));
            }
        }
        return byKey;
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Path blob(String key) {
        return media.resolve(key.substring(0, 2)).resolve(key);
    }

    private static List<Long> instancePids() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            Path file = run.resolve("instance-" + n + ".pid");
            if (Files.exists(file)) {
                pids.add(Long.parseLong(Files.readString(file).strip()));
            }
        }
        return pids;
    }

    /** A photo-like JPEG: gradients, shapes and grain, different for every seed, so each upload is its own blob. */
    private static byte[] photo(int width, int height, int seed) throws IOException {
        var random = new Random(seed);
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(0xffffff)), width, height, new Color(random.nextInt(0xffffff))));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillOval(random.nextInt(width), random.nextInt(height), 40 + random.nextInt(width / 3), 40 + random.nextInt(height / 3));
        }
        g.dispose();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grain = random.nextInt(17) - 8;
                int rgb = image.getRGB(x, y);
                int r = Math.clamp(((rgb >> 16) & 0xff) + grain, 0, 255);
                int gr = Math.clamp(((rgb >> 8) & 0xff) + grain, 0, 255);
                int b = Math.clamp((rgb & 0xff) + grain, 0, 255);
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    // --- the fleet and HTTP ------------------------------------------------------------------------

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }

}
