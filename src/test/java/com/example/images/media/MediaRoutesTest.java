package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.support.Http;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code GET}/{@code HEAD /media/{key}} over real HTTP: blobs put in the service's own file store, and one in S3. */
class MediaRoutesTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final Http http = TestApp.http();

    @TempDir
    Path dir;

    @Test
    void a_blob_is_served_whole_with_its_type_an_immutable_cache_and_its_hash_as_strong_etag() throws Exception {
        byte[] bytes = randomBytes(200_000);
        var blob = put(bytes, "webp", "image/webp");

        var response = get("/media/" + blob.key());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/webp");
        assertThat(response.headers().firstValue("Content-Length")).hasValue("200000");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue(IMMUTABLE);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + blob.sha256() + "\"");
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    }

    @Test
    void each_extension_has_its_image_type() throws Exception {
        for (ImageFormat format : ImageFormat.values()) {
            var blob = put(randomBytes(100), format.extension(), format.contentType());

            var response = get("/media/" + blob.key());

            assertThat(response.statusCode()).as(format.name()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(format.name()).hasValue(format.contentType());
        }
    }

    @Test
    void head_answers_the_headers_of_get_without_a_body() throws Exception {
        var blob = put(randomBytes(5_000), "jpg", "image/jpeg");

        var response = send("HEAD", "/media/" + blob.key());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(response.headers().firstValue("Content-Length")).hasValue("5000");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + blob.sha256() + "\"");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue(IMMUTABLE);
        assertThat(send("HEAD", "/media/" + "0".repeat(64) + ".jpg").statusCode()).isEqualTo(404);
    }

    @Test
    void one_byte_range_is_a_206_with_exactly_those_bytes() throws Exception {
        byte[] bytes = randomBytes(10_000);
        String path = "/media/" + put(bytes, "png", "image/png").key();

        var middle = get(path, "Range", "bytes=100-199");
        var open = get(path, "Range", "bytes=9990-");
        var suffix = get(path, "Range", "bytes=-10");
        var beyond = get(path, "Range", "bytes=9000-20000");

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100-199/10000");
        assertThat(middle.headers().firstValue("Content-Length")).hasValue("100");
        assertThat(middle.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(bytes, 9990, 10_000));
        assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 9990-9999/10000");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, 9990, 10_000));
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes 9000-9999/10000");
        assertThat(beyond.body()).isEqualTo(Arrays.copyOfRange(bytes, 9000, 10_000));
    }

    @Test
    void a_range_past_the_end_is_a_416_naming_the_size() throws Exception {
        String path = "/media/" + put(randomBytes(1_000), "jpg", "image/jpeg").key();

        var response = http.get(path, "Range", "bytes=1000-1100");

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */1000");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(http.get(path, "Range", "bytes=-0").statusCode()).isEqualTo(416);
    }

    @Test
    void several_ranges_an_unreadable_range_or_a_stale_if_range_get_the_whole_blob() throws Exception {
        byte[] bytes = randomBytes(3_000);
        var blob = put(bytes, "avif", "image/avif");
        String path = "/media/" + blob.key();

        for (var headers : new String[][] {{"Range", "bytes=0-9, 20-29"}, {"Range", "bytes=x-y"}, {"Range", "items=0-9"},
                {"Range", "bytes=0-9", "If-Range", "\"other\""}}) {
            var response = get(path, headers);

            assertThat(response.statusCode()).as(String.join(" ", headers)).isEqualTo(200);
            assertThat(response.body()).isEqualTo(bytes);
        }
        var current = get(path, "Range", "bytes=0-9", "If-Range", "\"" + blob.sha256() + "\"");
        assertThat(current.statusCode()).isEqualTo(206);
        assertThat(current.body()).isEqualTo(Arrays.copyOfRange(bytes, 0, 10));
    }

    @Test
    void if_none_match_with_its_etag_is_a_304_with_the_caching_headers() throws Exception {
        var blob = put(randomBytes(2_000), "gif", "image/gif");
        String etag = "\"" + blob.sha256() + "\"";

        var response = get("/media/" + blob.key(), "If-None-Match", "\"other\", " + etag);

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("ETag")).hasValue(etag);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue(IMMUTABLE);
        assertThat(get("/media/" + blob.key(), "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void an_unknown_key_is_a_404_problem() {
        var response = http.get("/media/" + "ab".repeat(32) + ".jpg");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":404");
    }

    @Test
    void a_key_that_is_not_a_blob_key_is_a_404_even_when_a_file_of_that_name_exists() throws Exception {
        Path root = TestApp.mediaDirectory();
        String upper = "AB".repeat(32) + ".jpg";
        Files.createDirectories(root.resolve("AB"));
        Files.write(root.resolve("AB").resolve(upper), randomBytes(10));
        String html = "cd".repeat(32) + ".html";
        Files.createDirectories(root.resolve("cd"));
        Files.writeString(root.resolve("cd").resolve(html), "<script>alert(1)</script>");
        String text = "ef".repeat(32) + ".txt";
        Files.createDirectories(root.resolve("ef"));
        Files.writeString(root.resolve("ef").resolve(text), "text");

        for (String key : new String[] {upper, html, text, "ab".repeat(32), "ab".repeat(31) + ".jpg", "x.jpg"}) {
            var response = http.get("/media/" + key);

            assertThat(response.statusCode()).as(key).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(key).hasValue("application/problem+json");
        }
        assertThat(http.raw("GET", "/media/..%2F..%2Fpostgres%2FPG_VERSION").status()).isIn(400, 404);
        assertThat(http.raw("GET", "/media/%2e%2e/%2e%2e/etc/passwd").status()).isIn(400, 404);
    }

    @Test
    void media_reads_are_public_to_other_origins() throws Exception {
        var blob = put(randomBytes(100), "jpg", "image/jpeg");

        var response = get("/media/" + blob.key(), "Origin", "https://shop.example.org");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void a_blob_in_an_s3_store_is_served_through_the_route() throws Exception {
        var proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(Files.createDirectories(dir.resolve("s3")).toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-identity", "test-credential")
                .build();
        proxy.start();
        try {
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
            URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
            System.setProperty("aws.accessKeyId", "test-identity");
            System.setProperty("aws.secretAccessKey", "test-credential");
            try (var admin = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1).build()) {
                admin.createBucket(b -> b.bucket("shop-media"));
            }
            var media = Settings.MediaSettings.of("s3://shop-media/renditions", endpoint.toString(),
                    Settings.MediaSettings.DEFAULT_MAX_UPLOAD_BYTES, ProcessingSettings.DEFAULT_MAX_IMAGE_PIXELS);
            var settings = Settings.defaults(TestDatabase.tempDir("images-media-s3"))
                    .withDatabase(TestDatabase.shared().url()).withDemoData(false).withMedia(media);
            byte[] bytes = randomBytes(70_000);
            BlobStore.Blob blob;
            try (var store = S3BlobStore.open(URI.create("s3://shop-media/renditions"), Optional.of(endpoint))) {
                blob = store.put(Files.write(dir.resolve("in"), bytes), "webp", "image/webp");
            }

            try (var app = Application.start(settings)) {
                String base = "http://127.0.0.1:" + app.port();
                var whole = sendTo(base, "GET", "/media/" + blob.key());
                var range = sendTo(base, "GET", "/media/" + blob.key(), "Range", "bytes=1000-1999");
                var missing = sendTo(base, "GET", "/media/" + "0".repeat(64) + ".webp");

                assertThat(whole.statusCode()).isEqualTo(200);
                assertThat(whole.body()).isEqualTo(bytes);
                assertThat(whole.headers().firstValue("Content-Type")).hasValue("image/webp");
                assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + blob.sha256() + "\"");
                assertThat(range.statusCode()).isEqualTo(206);
                assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
                assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/70000");
                assertThat(missing.statusCode()).isEqualTo(404);
            }
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            proxy.stop();
        }
    }

    @Test
    void a_media_store_that_does_not_answer_is_a_503_to_retry() throws Exception {
        // Nothing listens on port 1.
        var media = Settings.MediaSettings.of("s3://shop-media/renditions", "http://127.0.0.1:1",
                Settings.MediaSettings.DEFAULT_MAX_UPLOAD_BYTES, ProcessingSettings.DEFAULT_MAX_IMAGE_PIXELS);
        var settings = Settings.defaults(TestDatabase.tempDir("images-media-down"))
                .withDatabase(TestDatabase.shared().url()).withDemoData(false).withMedia(media);
        System.setProperty("aws.accessKeyId", "test-identity");
        System.setProperty("aws.secretAccessKey", "test-credential");
        try (var app = Application.start(settings)) {
            var response = new Http("http://127.0.0.1:" + app.port()).get("/media/" + "ab".repeat(32) + ".jpg");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    private BlobStore.Blob put(byte[] bytes, String extension, String contentType) throws IOException {
        Path file = Files.write(dir.resolve("blob-" + System.nanoTime()), bytes);
        try (var store = new FileBlobStore(TestApp.mediaDirectory())) {
            return store.put(file, extension, contentType);
        }
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        return sendTo(http.base(), method, path, headers);
    }

    private static HttpResponse<byte[]> sendTo(String base, String method, String path, String... headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n * 31L + System.nanoTime()).nextBytes(bytes);
        return bytes;
    }
}
