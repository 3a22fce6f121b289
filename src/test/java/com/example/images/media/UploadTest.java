package com.example.images.media;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Api;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/products/{id}/images} with bytes, over HTTP against the real PostgreSQL and
 * libvips: 202 'processing', then 'ready' once a worker ran; every rejection leaves no image
 * row, no job and no referenced blob.
 */
class UploadTest {

    private static final String TOKEN = TestApp.TOKEN;
    private static final long SMALL_CAP = 200_000;

    private final Api api = Api.shared();
    private final Http http = TestApp.http();

    @TempDir
    Path dir;

    /** Its own service, on its own database, with the worker on and a small upload cap. */
    private static UploadService worker;

    /** What a rejected upload to the shared service could leave behind. */
    private final Leftovers leftovers = new Leftovers(() -> TestDatabase.shared().dataSource().getConnection(),
            TestApp.mediaDirectory());

    @BeforeAll
    static void startWorkerService() throws Exception {
        worker = UploadService.start(SMALL_CAP);
    }

    @AfterAll
    static void stopWorkerService() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void a_raw_jpeg_answers_202_processing_and_becomes_ready_in_the_public_gallery() throws Exception {
        var own = worker.api();
        long id = own.createProduct("Upload lamp", 1).get("productId").asLong();
        byte[] jpeg = Files.readAllBytes(TestImages.jpeg(dir, 400, 300));

        var response = own.http().sendBytes("POST", "/api/products/" + id + "/images?alt=Front&position=0", jpeg,
                "Authorization", "Bearer " + TOKEN, "Content-Type", "image/jpeg");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode image = json(response);
        long imageId = image.get("id").asLong();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/products/" + id + "/images/" + imageId);
        assertThat(image.get("status").asText()).isEqualTo("processing");
        assertThat(image.get("alt").asText()).isEqualTo("Front");
        assertThat(image.get("position").asInt()).isZero();
        assertThat(image.has("failureReason")).isFalse();
        assertThat(image.get("width").asInt()).as("the probed size, before any rendition").isEqualTo(400);
        assertThat(image.get("height").asInt()).isEqualTo(300);

        JsonNode ready = worker.awaitProcessed(id, imageId);
        assertThat(ready.get("status").asText()).as(ready.toString()).isEqualTo("ready");
        assertThat(ready.get("width").asInt()).isEqualTo(400);
        JsonNode gallery = json(own.get("/api/products/" + id + "/images"));
        List<String> urls = new ArrayList<>();
        gallery.get("images").forEach(i -> urls.add(i.get("url").asText()));
        assertThat(urls).hasSize(2).contains(ready.get("url").asText());
        String renditionUrl = ready.get("url").asText();
        assertThat(renditionUrl).startsWith("/media/").endsWith(".jpg");
        var rendition = own.http().get(renditionUrl);
        assertThat(rendition.statusCode()).isEqualTo(200);
        assertThat(rendition.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    }

    @Test
    void a_processing_image_is_absent_from_the_public_gallery_and_has_a_job_and_a_referenced_original() throws Exception {
        long id = api.createProduct("Upload processing", 2).get("productId").asLong();
        byte[] jpeg = Files.readAllBytes(TestImages.jpeg(dir, 401, 300));

        var response = upload(id, jpeg, "image/jpeg");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        long imageId = json(response).get("id").asLong();
        assertThat(json(response).get("position").asInt()).isEqualTo(2);
        JsonNode gallery = json(api.get("/api/products/" + id + "/images"));
        assertThat(Api.imageIds(gallery)).hasSize(2).doesNotContain(imageId);
        var image = api.get("/api/products/" + id + "/images/" + imageId);
        assertThat(json(image).get("status").asText()).isEqualTo("processing");
        assertThat(uploadedRows(id)).isEqualTo(1);
        assertThat(jobs(id)).isEqualTo(1);
        assertThat(refs(BlobStore.key(Leftovers.sha256(jpeg), "jpg"))).isEqualTo(1);
    }

    @Test
    void rejected_bodies_are_4xx_problems_and_leave_nothing_behind() throws Exception {
        long id = api.createProduct("Upload rejections", 1).get("productId").asLong();
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8);
        byte[] html = "<!doctype html><html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8);
        Path webp = TestImages.convert(TestImages.jpeg(dir, 405, 300), dir, "picture.webp[Q=80]");

        assertRefused(id, new byte[0], "image/jpeg", 422, "EMPTY");
        assertRefused(id, bytes(TestImages.truncated(TestImages.jpeg(dir, 402, 300), 0.5)), "image/jpeg", 422, "TRUNCATED");
        assertRefused(id, bytes(TestImages.truncated(TestImages.png(dir, 403, 300, false), 0.5)), "image/png", 422, "TRUNCATED");
        assertRefused(id, bytes(TestImages.truncated(webp, 0.5)), "image/webp", 422, "TRUNCATED");
        assertRefused(id, bytes(TestImages.pngBomb(dir)), "image/png", 422, "TOO_MANY_PIXELS");
        assertRefused(id, bytes(TestImages.pngDeclaring(dir, 30_000, 10)), "image/png", 422, "TOO_MANY_PIXELS");
        assertRefused(id, svg, "image/png", 415, "SVG");
        assertRefused(id, svg, "image/svg+xml", 415, "SVG");
        assertRefused(id, html, "image/jpeg", 415, "HTML");
        assertRefused(id, bytes(TestImages.polyglot(TestImages.jpeg(dir, 406, 300))), "image/jpeg", 415, "POLYGLOT");
        var mismatch = assertRefused(id, bytes(TestImages.png(dir, 404, 300, false)), "image/jpeg", 415,
                "CONTENT_TYPE_MISMATCH");
        assertThat(json(mismatch).get("detail").asText()).isEqualTo("the body is image/png but Content-Type says image/jpeg");

        assertThat(json(api.get("/api/products/" + id)).get("images")).hasSize(1);
    }

    @Test
    void the_251st_image_an_unknown_product_a_stale_etag_and_no_or_a_wrong_token_are_refused_before_anything_is_stored()
            throws Exception {
        long full = api.createProduct("Upload full", 250).get("productId").asLong();
        long id = api.createProduct("Upload refused", 1).get("productId").asLong();
        byte[] jpeg = bytes(TestImages.jpeg(dir, 407, 300));
        String path = "/api/products/" + id + "/images";

        var tooMany = upload(full, jpeg, "image/jpeg");
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(409);
        leftovers.assertNothingLeftBehind(full, 250, jpeg);
        assertThat(upload(Long.MAX_VALUE - 7, jpeg, "image/jpeg").statusCode()).isEqualTo(404);
        leftovers.assertNothingLeftBehind(Long.MAX_VALUE - 7, 0, jpeg);
        assertThat(http.sendBytes("POST", path, jpeg, "Authorization", "Bearer " + TOKEN, "Content-Type", "image/jpeg",
                "If-Match", "\"stale\"").statusCode()).isEqualTo(412);
        leftovers.assertNothingLeftBehind(id, 1, jpeg);
        assertThat(http.sendBytes("POST", path + "?position=2", jpeg, "Authorization", "Bearer " + TOKEN,
                "Content-Type", "image/jpeg").statusCode()).as("a position past the end").isEqualTo(422);
        leftovers.assertNothingLeftBehind(id, 1, jpeg);
        assertThat(http.sendBytes("POST", path, jpeg, "Content-Type", "image/jpeg").statusCode()).isEqualTo(401);
        leftovers.assertNothingLeftBehind(id, 1, jpeg);
        assertThat(http.sendBytes("POST", path, jpeg, "Content-Type", "image/jpeg",
                "Authorization", "Bearer wrong-token-000000000").statusCode())
                .as("a wrong token is a 401 here; 403 is for an instance with no token configured (AuthTest)").isEqualTo(401);
        leftovers.assertNothingLeftBehind(id, 1, jpeg);
    }

    @Test
    void a_product_deleted_while_its_upload_is_stored_is_404_and_the_original_is_removed_at_once() throws Exception {
        long id = api.createProduct("Upload race", 1).get("productId").asLong();
        byte[] jpeg = bytes(TestImages.jpeg(dir, 408, 300));
        String key = BlobStore.key(Leftovers.sha256(jpeg), "jpg");
        try (Connection c = TestDatabase.shared().dataSource().getConnection()) {
            c.setAutoCommit(false);
            // Holds the product's lock: the upload passes its checks (made without the lock), stores
            // the original, then waits for the lock in its image transaction.
            execute(c, "SELECT version FROM products WHERE id = ? FOR UPDATE", id);
            var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> upload(id, jpeg, "image/jpeg"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (refs(key) < 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(refs(key)).as("the original is stored and registered, unreferenced").isZero();
            execute(c, "DELETE FROM products WHERE id = ?", id);
            c.commit();

            var response = pending.get(30, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        }
        leftovers.assertNothingLeftBehind(id, 0, jpeg);
    }

    @Test
    void a_body_over_the_cap_is_413_by_content_length_and_by_chunks_and_leaves_nothing_behind() throws Exception {
        var own = worker.api();
        long id = own.createProduct("Upload big", 0).get("productId").asLong();
        byte[] big = overCap(409, 70_000);

        var byLength = own.http().sendBytes("POST", "/api/products/" + id + "/images", big,
                "Authorization", "Bearer " + TOKEN, "Content-Type", "image/jpeg");
        assertThat(byLength.statusCode()).isEqualTo(413);
        worker.leftovers().assertNothingLeftBehind(id, 0, big);

        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/api/products/" + id + "/images"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "image/jpeg")
                // No length: sent chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        // The server reads what is left of a refused body under 2 MiB, so the 413 always arrives.
        int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        assertThat(status).isEqualTo(413);
        worker.leftovers().assertNothingLeftBehind(id, 0, big);
    }

    @Test
    void a_multipart_png_with_alt_and_position_answers_202_and_leaves_no_temporary_file() throws Exception {
        long id = api.createProduct("Upload multipart", 2).get("productId").asLong();
        byte[] png = Files.readAllBytes(TestImages.png(dir, 411, 300, true));
        long before = System.currentTimeMillis() - 1000;

        var response = http.sendBytes("POST", "/api/products/" + id + "/images",
                multipart(png, "image/png", "Side view", "1"),
                "Authorization", "Bearer " + TOKEN, "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode image = json(response);
        assertThat(image.get("status").asText()).isEqualTo("processing");
        assertThat(image.get("alt").asText()).isEqualTo("Side view");
        assertThat(image.get("position").asInt()).isEqualTo(1);
        assertThat(uploadedRows(id)).isEqualTo(1);
        assertThat(jobs(id)).isEqualTo(1);
        assertThat(refs(BlobStore.key(Leftovers.sha256(png), "png"))).isEqualTo(1);

        var mismatch = http.sendBytes("POST", "/api/products/" + id + "/images", multipart(png, "image/gif", null, null),
                "Authorization", "Bearer " + TOKEN, "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        assertRejected(mismatch, 415, "CONTENT_TYPE_MISMATCH");
        var noFile = http.sendBytes("POST", "/api/products/" + id + "/images",
                ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n")
                        .getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + TOKEN, "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        assertThat(noFile.statusCode()).as(noFile.body()).isEqualTo(422);
        assertThat(uploadedRows(id)).isEqualTo(1);
        assertThat(leftoverTemporaryFiles(before)).isEmpty();
    }

    @Test
    void a_multipart_file_over_the_cap_is_413() throws Exception {
        var own = worker.api();
        long id = own.createProduct("Upload big multipart", 0).get("productId").asLong();
        byte[] big = overCap(410, 10_000);
        long before = System.currentTimeMillis() - 1000;

        var response = own.http().sendBytes("POST", "/api/products/" + id + "/images", multipart(big, "image/jpeg", null, null),
                "Authorization", "Bearer " + TOKEN, "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(leftoverTemporaryFiles(before)).isEmpty();
        worker.leftovers().assertNothingLeftBehind(id, 0, big);
    }

    /** A JPEG's bytes padded with zeros to {@code over} bytes past the worker service's cap. */
    private byte[] overCap(int width, int over) throws IOException {
        byte[] jpeg = Files.readAllBytes(TestImages.jpeg(dir, width, 300));
        return java.util.Arrays.copyOf(jpeg, (int) SMALL_CAP + over);
    }

    private static final String BOUNDARY = "----upload-test-7d3a";

    private static byte[] multipart(byte[] file, String type, String alt, String position) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        if (alt != null) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n" + alt + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (position != null) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"position\"\r\n\r\n" + position + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo\"\r\n"
                + "Content-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(file);
        out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Upload and multipart spool files in the temporary directory newer than {@code since}. */
    private static List<Path> leftoverTemporaryFiles(long since) throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith("upload-") && name.endsWith(".part") || name.startsWith("MultiPart");
            }).filter(f -> f.toFile().lastModified() >= since).toList();
        }
    }

    private HttpResponse<String> upload(long productId, byte[] body, String contentType) {
        return http.sendBytes("POST", "/api/products/" + productId + "/images", body,
                "Authorization", "Bearer " + TOKEN, "Content-Type", contentType);
    }

    private static void assertRejected(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(response).get("reason").asText()).isEqualTo(reason);
    }

    /** Uploads the body to the product (which has one image), expects the problem, and that nothing was left behind. */
    private HttpResponse<String> assertRefused(long productId, byte[] body, String contentType, int status, String reason)
            throws SQLException {
        var response = upload(productId, body, contentType);
        assertRejected(response, status, reason);
        leftovers.assertNothingLeftBehind(productId, 1, body);
        return response;
    }

    private static byte[] bytes(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    private static void execute(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, id);
            st.execute();
        }
    }

    private static int uploadedRows(long productId) throws SQLException {
        return query("SELECT count(*) FROM images WHERE product_id = ? AND original_key IS NOT NULL", productId);
    }

    private static int jobs(long productId) throws SQLException {
        return query("SELECT count(*) FROM media_jobs WHERE product_id = ?", productId);
    }

    private static int refs(String key) throws SQLException {
        try (Connection c = TestDatabase.shared().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("SELECT refs FROM media_blobs WHERE key = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    private static int query(String sql, long id) throws SQLException {
        try (Connection c = TestDatabase.shared().dataSource().getConnection()) {
            return Leftovers.count(c, sql, id);
        }
    }
}
