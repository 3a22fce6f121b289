package com.example.images.media;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.support.Api;
import com.example.images.support.Http;
import com.example.images.support.ScratchDatabases;
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
import java.sql.DriverManager;
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
    private static Application worker;
    private static com.example.images.db.DatabaseUrl workerDb;

    @BeforeAll
    static void startWorkerService() throws Exception {
        workerDb = ScratchDatabases.create();
        var settings = Settings.defaults(TestDatabase.tempDir("images-upload")).withDatabase(workerDb)
                .withDemoData(false).withApiTokens(ApiTokens.of(TOKEN));
        var m = settings.media();
        settings = settings.withMedia(new Settings.MediaSettings(m.directory(), m.s3(), m.s3Endpoint(), SMALL_CAP,
                m.maxImagePixels(), true));
        worker = Application.start(settings);
    }

    @AfterAll
    static void stopWorkerService() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void a_raw_jpeg_answers_202_processing_and_becomes_ready_in_the_public_gallery() throws Exception {
        var own = new Api(new Http("http://127.0.0.1:" + worker.port()), TOKEN);
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

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode ready = null;
        while (System.nanoTime() < deadline) {
            JsonNode current = json(own.get("/api/products/" + id + "/images/" + imageId));
            if (!current.get("status").asText().equals("processing")) {
                ready = current;
                break;
            }
            Thread.sleep(200);
        }
        assertThat(ready).as("the worker finished the image").isNotNull();
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
        assertThat(refs(BlobStore.key(sha256(jpeg), "jpg"))).isEqualTo(1);
    }

    @Test
    void rejected_bodies_leave_no_row_no_job_and_no_referenced_blob() throws Exception {
        long id = api.createProduct("Upload rejections", 1).get("productId").asLong();
        byte[] jpeg = Files.readAllBytes(TestImages.jpeg(dir, 402, 300));
        byte[] truncated = Files.readAllBytes(TestImages.truncated(TestImages.jpeg(dir, 403, 300), 0.5));
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8);
        byte[] html = "<!doctype html><html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8);
        byte[] png = Files.readAllBytes(TestImages.png(dir, 404, 300, false));

        assertRejected(upload(id, new byte[0], "image/jpeg"), 422, "EMPTY");
        assertRejected(upload(id, truncated, "image/jpeg"), 422, "TRUNCATED");
        assertRejected(upload(id, svg, "image/png"), 415, "SVG");
        assertRejected(upload(id, html, "image/jpeg"), 415, "HTML");
        var mismatch = upload(id, png, "image/jpeg");
        assertRejected(mismatch, 415, "CONTENT_TYPE_MISMATCH");
        assertThat(json(mismatch).get("detail").asText()).isEqualTo("the body is image/png but Content-Type says image/jpeg");
        assertRejected(upload(id, bomb(), "image/png"), 422, "TOO_MANY_PIXELS");

        assertThat(uploadedRows(id)).isZero();
        assertThat(jobs(id)).isZero();
        assertThat(refs(BlobStore.key(sha256(png), "png"))).isLessThanOrEqualTo(0);
        assertThat(refs(BlobStore.key(sha256(truncated), "jpg"))).isLessThanOrEqualTo(0);
        assertThat(refs(BlobStore.key(sha256(jpeg), "jpg"))).isLessThanOrEqualTo(0);
        assertThat(json(api.get("/api/products/" + id)).get("images")).hasSize(1);
    }

    @Test
    void the_251st_image_is_409_an_unknown_product_404_and_no_or_a_wrong_token_401() throws Exception {
        long full = api.createProduct("Upload full", 250).get("productId").asLong();
        byte[] jpeg = Files.readAllBytes(TestImages.jpeg(dir, 405, 300));
        String key = BlobStore.key(sha256(jpeg), "jpg");

        assertThat(upload(full, jpeg, "image/jpeg").statusCode()).isEqualTo(409);
        assertThat(upload(Long.MAX_VALUE - 7, jpeg, "image/jpeg").statusCode()).isEqualTo(404);
        assertThat(http.sendBytes("POST", "/api/products/" + full + "/images", jpeg, "Content-Type", "image/jpeg")
                .statusCode()).isEqualTo(401);
        assertThat(http.sendBytes("POST", "/api/products/" + full + "/images", jpeg, "Content-Type", "image/jpeg",
                "Authorization", "Bearer wrong-token-000000000").statusCode())
                .as("a wrong token is a 401 here; 403 is for an instance with no token configured (AuthTest)").isEqualTo(401);

        assertThat(uploadedRows(full)).isZero();
        assertThat(jobs(full)).isZero();
        assertThat(refs(key)).as("stored for the 409/404 but never referenced: the collector's").isLessThanOrEqualTo(0);
    }

    @Test
    void a_body_over_the_cap_is_413_by_content_length_and_by_chunks() throws Exception {
        var own = new Api(new Http("http://127.0.0.1:" + worker.port()), TOKEN);
        long id = own.createProduct("Upload big", 0).get("productId").asLong();
        byte[] big = overCap(406, 70_000);

        var byLength = own.http().sendBytes("POST", "/api/products/" + id + "/images", big,
                "Authorization", "Bearer " + TOKEN, "Content-Type", "image/jpeg");
        assertThat(byLength.statusCode()).isEqualTo(413);

        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/api/products/" + id + "/images"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "image/jpeg")
                // No length: sent chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        int status;
        try {
            status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            // The server may close the connection while the client still sends: the upload was refused.
            status = 413;
        }
        assertThat(status).isEqualTo(413);
        try (Connection c = DriverManager.getConnection(workerDb.jdbcUrl(), "postgres", "")) {
            assertThat(count(c, "SELECT count(*) FROM images WHERE product_id = ?", id)).isZero();
            assertThat(count(c, "SELECT count(*) FROM media_jobs WHERE product_id = ?", id)).isZero();
        }
    }

    @Test
    void a_multipart_png_with_alt_and_position_answers_202_and_leaves_no_temporary_file() throws Exception {
        long id = api.createProduct("Upload multipart", 2).get("productId").asLong();
        byte[] png = Files.readAllBytes(TestImages.png(dir, 407, 300, true));
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
        assertThat(refs(BlobStore.key(sha256(png), "png"))).isEqualTo(1);

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
        var own = new Api(new Http("http://127.0.0.1:" + worker.port()), TOKEN);
        long id = own.createProduct("Upload big multipart", 0).get("productId").asLong();
        byte[] big = overCap(408, 10_000);
        long before = System.currentTimeMillis() - 1000;

        var response = own.http().sendBytes("POST", "/api/products/" + id + "/images", multipart(big, "image/jpeg", null, null),
                "Authorization", "Bearer " + TOKEN, "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(leftoverTemporaryFiles(before)).isEmpty();
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

    /** A valid PNG header declaring 100,000 × 100,000 pixels, with an end chunk. */
    private byte[] bomb() throws IOException {
        return Files.readAllBytes(TestImages.pngBomb(dir));
    }

    private static String sha256(byte[] bytes) throws IOException {
        Path file = Files.createTempFile("sha", ".bin");
        try {
            Files.write(file, bytes);
            return BlobStore.sha256(file);
        } finally {
            Files.delete(file);
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
            return count(c, sql, id);
        }
    }

    private static int count(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
