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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The renditions in the image JSON (the public gallery, the merchant's product view, the single
 * image), over HTTP against the real PostgreSQL and libvips: images are uploaded through the real
 * route and made ready by the real worker.
 */
class RenditionsApiTest {

    private static final String TOKEN = TestApp.TOKEN;
    private static final Pattern SRCSET_ENTRY = Pattern.compile("/media/([0-9a-f]{64})\\.(avif|webp|jpg) (\\d+)w");
    // BlurHash's base-83 alphabet; 4x3 components make 28 characters.
    private static final Pattern BLURHASH = Pattern.compile("[0-9A-Za-z#$%*+,\\-.:;=?@\\[\\]^_{|}~]{28}");

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static Application service;
    private static Api api;
    private static long product;
    private static long external;
    private static long uploaded;
    private static long failed;

    /**
     * One service with the worker on, and one product: an external image, then an upload whose
     * pixels are 300x500 with EXIF orientation 6 (so it shows 500 wide and 300 high), then an
     * upload whose pixel data libvips cannot decode.
     */
    @BeforeAll
    static void uploadAndProcess() throws Exception {
        var db = ScratchDatabases.create();
        Path dir = TestDatabase.tempDir("images-renditions-json");
        service = Application.start(Settings.defaults(dir).withDatabase(db).withDemoData(false)
                .withApiTokens(ApiTokens.of(TOKEN)));
        api = new Api(new Http("http://127.0.0.1:" + service.port()), TOKEN);
        JsonNode created = api.createProduct("Renditions lamp", 1);
        product = created.get("productId").asLong();
        external = created.get("images").get(0).get("id").asLong();
        Path turned = TestImages.withExif(TestImages.jpeg(dir, 300, 500), 6, "Camera", 0);
        uploaded = upload(Files.readAllBytes(turned), "image/jpeg");
        byte[] garbled = Files.readAllBytes(TestImages.png(dir, 400, 300, false));
        // The header intact (the upload's probe reads it) and the IEND chunk too; the pixel data garbled: only decoding finds out.
        for (int i = indexOf(garbled, "IDAT") + 100; i < garbled.length - 40; i++) {
            garbled[i] = (byte) 0x5a;
        }
        failed = upload(garbled, "image/png");
        awaitDone(uploaded);
        awaitDone(failed);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void a_ready_upload_lists_avif_webp_and_jpeg_sources_with_ascending_widths_never_above_the_original() {
        JsonNode image = galleryImage(uploaded);

        List<String> types = new ArrayList<>();
        image.get("sources").forEach(source -> types.add(source.get("type").asText()));
        assertThat(types).containsExactly("image/avif", "image/webp", "image/jpeg");
        for (JsonNode source : image.get("sources")) {
            String extension = switch (source.get("type").asText()) {
                case "image/avif" -> "avif";
                case "image/webp" -> "webp";
                default -> "jpg";
            };
            List<Integer> widths = new ArrayList<>();
            for (String entry : source.get("srcset").asText().split(", ")) {
                Matcher m = SRCSET_ENTRY.matcher(entry);
                assertThat(m.matches()).as(entry).isTrue();
                assertThat(m.group(2)).isEqualTo(extension);
                widths.add(Integer.parseInt(m.group(3)));
            }
            assertThat(widths).as(source.toString()).containsExactly(160, 320, 500);
        }
    }

    @Test
    void a_ready_upload_has_a_blurhash_placeholder_a_colour_and_its_intrinsic_oriented_size() {
        JsonNode image = galleryImage(uploaded);

        assertThat(image.get("placeholder").asText()).matches(BLURHASH);
        assertThat(image.get("color").asText()).matches("#[0-9a-f]{6}");
        assertThat(image.get("width").asInt()).isEqualTo(500);
        assertThat(image.get("height").asInt()).isEqualTo(300);
    }

    @Test
    void url_is_the_largest_jpeg_and_thumbnail_url_the_smallest() {
        JsonNode image = galleryImage(uploaded);
        String[] jpegs = image.get("sources").get(2).get("srcset").asText().split(", ");

        assertThat(image.get("url").asText() + " 500w").isEqualTo(jpegs[jpegs.length - 1]);
        assertThat(image.get("thumbnailUrl").asText() + " 160w").isEqualTo(jpegs[0]);
        var largest = api.http().get(image.get("url").asText());
        assertThat(largest.statusCode()).isEqualTo(200);
        assertThat(largest.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    }

    @Test
    void an_image_without_renditions_is_written_byte_for_byte_as_before() {
        var body = api.get("/api/products/" + product + "/images").body();
        JsonNode image = galleryImage(external);

        String expected = "{\"id\":" + external + ",\"position\":0,\"url\":\"" + image.get("url").asText()
                + "\",\"thumbnailUrl\":\"" + image.get("thumbnailUrl").asText() + "\",\"alt\":\"Renditions lamp #0\","
                + "\"width\":800,\"height\":600}";
        assertThat(body).startsWith("{\"productId\":" + product + ",\"name\":\"Renditions lamp\",\"images\":[" + expected + ",");
        assertThat(image.has("sources")).isFalse();
        assertThat(image.has("placeholder")).isFalse();
        assertThat(image.has("color")).isFalse();
    }

    @Test
    void the_public_gallery_lists_ready_images_only() {
        List<Long> ids = Api.imageIds(json(api.get("/api/products/" + product + "/images")));

        assertThat(ids).containsExactly(external, uploaded);
    }

    @Test
    void the_product_view_lists_every_image_with_its_status_and_the_renditions_of_the_ready_ones() {
        var response = api.get("/api/products/" + product);
        JsonNode images = json(response).get("images");

        assertThat(Api.imageIds(json(response))).containsExactly(external, uploaded, failed);
        assertThat(images.get(0).get("status").asText()).isEqualTo("ready");
        assertThat(images.get(0).has("sources")).isFalse();
        assertThat(images.get(1).get("status").asText()).isEqualTo("ready");
        assertThat(images.get(1).get("sources")).isEqualTo(galleryImage(uploaded).get("sources"));
        assertThat(images.get(1).get("placeholder")).isEqualTo(galleryImage(uploaded).get("placeholder"));
        assertThat(images.get(1).has("failureReason")).isFalse();
        assertThat(images.get(2).get("status").asText()).isEqualTo("failed");
        assertThat(images.get(2).get("failureReason").asText()).isNotBlank();
        assertThat(images.get(2).has("sources")).isFalse();
        assertThat(images.get(2).has("color")).isFalse();
    }

    @Test
    void the_product_view_has_the_galleries_etag_and_answers_304_to_it() {
        var gallery = api.get("/api/products/" + product + "/images");
        var view = api.get("/api/products/" + product);

        assertThat(Api.etag(view)).isEqualTo(Api.etag(gallery));
        var again = api.get("/api/products/" + product, "If-None-Match", Api.etag(view));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void an_uploaded_images_url_and_size_cannot_be_patched_but_its_alt_can() {
        String path = "/api/products/" + product + "/images/" + uploaded;
        JsonNode before = json(api.get(path));

        var refused = api.write("PATCH", path, "{\"url\":\"https://cdn.example.com/other.jpg\",\"width\":10}");
        var renamed = api.write("PATCH", path, "{\"alt\":\"A lamp, turned upright\"}");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("url, width").contains("upload a new image");
        assertThat(renamed.statusCode()).isEqualTo(200);
        JsonNode after = json(api.get(path));
        assertThat(after.get("alt").asText()).isEqualTo("A lamp, turned upright");
        assertThat(after.get("url")).isEqualTo(before.get("url"));
        assertThat(after.get("width")).isEqualTo(before.get("width"));
        assertThat(after.get("sources")).isEqualTo(before.get("sources"));
    }

    @Test
    void the_single_image_json_has_the_same_rendition_fields() {
        JsonNode image = json(api.get("/api/products/" + product + "/images/" + uploaded));
        JsonNode inGallery = galleryImage(uploaded);

        assertThat(image.get("status").asText()).isEqualTo("ready");
        assertThat(image.get("sources")).isEqualTo(inGallery.get("sources"));
        assertThat(image.get("placeholder")).isEqualTo(inGallery.get("placeholder"));
        assertThat(image.get("color")).isEqualTo(inGallery.get("color"));
        assertThat(image.get("url")).isEqualTo(inGallery.get("url"));
        JsonNode broken = json(api.get("/api/products/" + product + "/images/" + failed));
        assertThat(broken.get("status").asText()).isEqualTo("failed");
        assertThat(broken.has("sources")).isFalse();
    }

    @Test
    void a_processing_upload_shows_on_the_product_view_with_its_original_and_not_in_the_gallery() throws Exception {
        // The shared service runs no worker, so the upload stays processing.
        var shared = Api.shared();
        long id = shared.createProduct("Renditions pending", 0).get("productId").asLong();
        byte[] jpeg = Files.readAllBytes(TestImages.jpeg(TestDatabase.tempDir("images-pending"), 320, 200));
        var response = shared.http().sendBytes("POST", "/api/products/" + id + "/images", jpeg,
                "Authorization", "Bearer " + TOKEN, "Content-Type", "image/jpeg");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

        JsonNode image = json(shared.get("/api/products/" + id)).get("images").get(0);
        assertThat(image.get("status").asText()).isEqualTo("processing");
        assertThat(image.get("url").asText()).matches("/media/[0-9a-f]{64}\\.jpg");
        assertThat(image.has("sources")).isFalse();
        assertThat(json(shared.get("/api/products/" + id + "/images")).get("images")).isEmpty();
    }

    @Test
    void the_width_url_sends_avif_to_a_browser_that_names_it() {
        var response = media("GET", 320, "Accept", "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/avif");
        assertThat(response.headers().firstValue("Vary")).hasValue("Accept");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        String key = srcsetKey("image/avif", 320);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + key.substring(0, 64) + "\"");
        assertThat(response.body()).isEqualTo(blob(key));
    }

    @Test
    void the_width_url_sends_webp_when_avif_is_not_named_or_refused() {
        for (String accept : List.of("image/webp,*/*", "image/avif;q=0, image/webp, image/*", "image/webp;q=0.1")) {
            var response = media("GET", 160, "Accept", accept);

            assertThat(response.statusCode()).as(accept).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(accept).hasValue("image/webp");
            assertThat(response.body()).as(accept).isEqualTo(blob(srcsetKey("image/webp", 160)));
        }
    }

    @Test
    void the_width_url_sends_jpeg_to_wildcards_to_jpeg_only_and_to_no_accept_at_all() {
        for (String accept : List.of("image/jpeg", "image/*", "*/*", "image/png,image/*;q=0.8,*/*;q=0.5", "image/webp;q=0, */*")) {
            var response = media("GET", 500, "Accept", accept);

            assertThat(response.statusCode()).as(accept).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(accept).hasValue("image/jpeg");
        }
        var none = media("GET", 500);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(none.body()).isEqualTo(blob(srcsetKey("image/jpeg", 500)));
        assertThat(none.headers().firstValue("Vary")).hasValue("Accept");
    }

    @Test
    void a_request_that_refuses_every_format_is_a_406_problem() {
        for (String accept : List.of("image/jpeg;q=0", "image/png", "*/*;q=0", "image/*;q=0, image/avif;q=0")) {
            var response = media("GET", 320, "Accept", accept);

            assertThat(response.statusCode()).as(accept).isEqualTo(406);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Vary")).hasValue("Accept");
        }
    }

    @Test
    void a_width_the_image_does_not_have_is_a_404_problem_and_a_malformed_one_a_400() {
        for (int width : List.of(640, 2048, 321, 99999)) {
            var response = media("GET", width, "Accept", "image/avif");
            assertThat(response.statusCode()).as("width " + width).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("160, 320, 500");
        }
        String base = "/media/images/" + product + "/" + uploaded + "/";
        for (String bad : List.of("abc", "0", "-320", "0320", "320.0", "99999999999999999999")) {
            assertThat(fetch("GET", base + bad).statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(fetch("GET", "/media/images/x/" + uploaded + "/320").statusCode()).isEqualTo(400);
        assertThat(fetch("GET", "/media/images/" + product + "/0/320").statusCode()).isEqualTo(400);
    }

    @Test
    void images_without_renditions_have_no_width_urls() {
        for (long image : List.of(external, failed, 987654321L)) {
            var response = fetch("GET", "/media/images/" + product + "/" + image + "/160");
            assertThat(response.statusCode()).as("image " + image).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(fetch("GET", "/media/images/" + (product + 1000) + "/" + uploaded + "/160").statusCode()).isEqualTo(404);
    }

    @Test
    void head_range_and_if_none_match_work_on_the_width_url_as_on_the_blob() {
        byte[] whole = blob(srcsetKey("image/webp", 320));

        var head = media("HEAD", 320, "Accept", "image/webp");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(whole.length));
        assertThat(head.headers().firstValue("Content-Type")).hasValue("image/webp");
        assertThat(head.headers().firstValue("Vary")).hasValue("Accept");
        assertThat(head.body()).isEmpty();

        var part = media("GET", 320, "Accept", "image/webp", "Range", "bytes=10-109");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 10-109/" + whole.length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 10, 110));

        String etag = head.headers().firstValue("ETag").orElseThrow();
        var again = media("GET", 320, "Accept", "image/webp", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.headers().firstValue("Vary")).hasValue("Accept");
        var otherFormat = media("GET", 320, "Accept", "image/avif", "If-None-Match", etag);
        assertThat(otherFormat.statusCode()).as("the AVIF is another representation").isEqualTo(200);
    }

    /** The key of {@code type}'s rendition at {@code width}, from the gallery's srcset. */
    private static String srcsetKey(String type, int width) {
        for (JsonNode source : galleryImage(uploaded).get("sources")) {
            if (source.get("type").asText().equals(type)) {
                for (String entry : source.get("srcset").asText().split(", ")) {
                    Matcher m = SRCSET_ENTRY.matcher(entry);
                    if (m.matches() && Integer.parseInt(m.group(3)) == width) {
                        return m.group(1) + "." + m.group(2);
                    }
                }
            }
        }
        throw new AssertionError("no " + type + " at " + width);
    }

    private static byte[] blob(String key) {
        var response = fetch("GET", "/media/" + key);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<byte[]> media(String method, int width, String... headers) {
        return fetch(method, "/media/images/" + product + "/" + uploaded + "/" + width, headers);
    }

    private static HttpResponse<byte[]> fetch(String method, String path, String... headers) {
        var request = HttpRequest.newBuilder(URI.create(api.http().base() + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode galleryImage(long imageId) {
        for (JsonNode image : json(api.get("/api/products/" + product + "/images")).get("images")) {
            if (image.get("id").asLong() == imageId) {
                return image;
            }
        }
        throw new AssertionError("image " + imageId + " is not in the gallery");
    }

    private static int indexOf(byte[] bytes, String ascii) {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(ascii);
    }

    private static long upload(byte[] bytes, String type) {
        var response = api.http().sendBytes("POST", "/api/products/" + product + "/images", bytes,
                "Authorization", "Bearer " + TOKEN, "Content-Type", type);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).get("id").asLong();
    }

    private static void awaitDone(long imageId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            String status = json(api.get("/api/products/" + product + "/images/" + imageId)).get("status").asText();
            if (!status.equals("processing")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("image " + imageId + " is still processing");
    }
}
