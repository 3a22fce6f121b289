package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.support.Api;
import com.example.images.support.Browser;
import com.example.images.support.Http;
import com.example.images.support.ScratchDatabases;
import com.example.images.support.ServiceProxy;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.interactions.WheelInput;

/**
 * The shopper's gallery over real uploads: two 2400 × 1600 photos processed by the real worker
 * (libvips) on its own service, shown in headless Chromium at a phone's and a desktop's viewport.
 * It checks which renditions the browser fetched, their bytes, the placeholder before the bytes
 * arrive, the layout shift, and zoom in the lightbox.
 */
class ResponsiveGalleryBrowserTest {

    private static final Duration PROCESSING = Duration.ofMinutes(6);

    private static Application service;
    private static Http http;
    private static ServiceProxy proxy;
    private static ChromeDriver browser;
    private static long productId;
    private static List<Photo> photos;
    private GalleryPage gallery;

    /** An image of the gallery JSON: its ratio, and each rendition's format and width by URL path. */
    record Photo(double ratio, String largestJpeg, Map<String, Rendition> renditions) {

        /** The smallest rendition of {@code type} at least {@code cssPx × dpr} wide (or the largest), among widths up to {@code most}. */
        String smallestCovering(String type, double needed, int most) {
            var candidates = renditions.entrySet().stream()
                    .filter(e -> e.getValue().type().equals(type) && e.getValue().width() <= most)
                    .sorted(Comparator.comparingInt(e -> e.getValue().width())).toList();
            return candidates.stream().filter(e -> e.getValue().width() >= Math.ceil(needed - 0.01)).findFirst()
                    .orElse(candidates.getLast()).getKey();
        }

        String largest(String type) {
            return smallestCovering(type, Double.MAX_VALUE, Integer.MAX_VALUE);
        }
    }

    record Rendition(String type, int width) {
    }

    @BeforeAll
    static void uploadTwoPhotosAndWaitForTheirRenditions() throws Exception {
        var settings = Settings.defaults(TestDatabase.tempDir("images-widget")).withDatabase(ScratchDatabases.create())
                .withDemoData(false).withApiTokens(ApiTokens.of(TestApp.TOKEN));
        service = Application.start(settings.withMedia(settings.media().withWorker(true)));
        http = new Http("http://127.0.0.1:" + service.port());
        productId = new Api(http, TestApp.TOKEN).createProduct("Walnut Reading Lamp", 0).get("productId").asLong();
        for (int i = 0; i < 2; i++) {
            var response = http.sendBytes("POST", "/api/products/" + productId + "/images?alt=Lamp%20view%20" + (i + 1),
                    photo(2400, 1600, i), "Authorization", "Bearer " + TestApp.TOKEN, "Content-Type", "image/jpeg");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        photos = awaitRenditions();
        // Without waiting for the load event, which the held images of the placeholder test would hold back.
        browser = Browser.start(PageLoadStrategy.NONE);
        proxy = new ServiceProxy(http.base());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @AfterEach
    void desktopAgain() {
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    @Test
    void at_375_px_and_dpr_2_each_visible_image_is_the_smallest_avif_covering_its_slot_at_half_the_bytes_or_less() throws Exception {
        fetchesTheSmallestCoveringRenditions(375, 812, 2);
    }

    @Test
    void at_1280_px_and_dpr_1_each_visible_image_is_the_smallest_avif_covering_its_slot_at_half_the_bytes_or_less() throws Exception {
        fetchesTheSmallestCoveringRenditions(1280, 900, 1);
    }

    private void fetchesTheSmallestCoveringRenditions(int width, int height, int dpr) throws Exception {
        open(http.base(), width, height, dpr);
        awaitImagesLoaded();

        double cls = GalleryBrowserTest.cumulativeLayoutShift(browser);
        WebElement stage = gallery.find(".stage");
        var photo = photos.get(0);
        double heroCss = Math.min(stage.getRect().getWidth(), stage.getRect().getHeight() * photo.ratio());
        Set<String> expected = new HashSet<>();
        String hero = photo.smallestCovering("image/avif", heroCss * dpr, Integer.MAX_VALUE);
        expected.add(hero);
        var thumbs = gallery.all(".thumb img");
        for (int i = 0; i < thumbs.size(); i++) {
            // object-fit: cover draws a landscape thumbnail as tall as its box, so wider than it.
            var box = thumbs.get(i).getRect();
            double thumbCss = Math.max(box.getWidth(), box.getHeight() * photos.get(i).ratio());
            expected.add(photos.get(i).smallestCovering("image/avif", thumbCss * dpr, 320));
        }

        Map<String, Long> fetched = fetchedMedia();
        assertThat(fetched.keySet()).as("at %d px, DPR %d: the hero is %.0f CSS px wide", width, dpr, heroCss)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(currentSrc(gallery.hero())).isEqualTo(http.base() + hero);
        assertThat(fetched.keySet()).allSatisfy(path -> {
            Rendition rendition = renditionOf(path);
            assertThat(rendition.type()).as("Chromium is served AVIF").isEqualTo("image/avif");
        });
        assertThat(thumbs.size()).isEqualTo(2);
        for (String path : fetched.keySet()) {
            if (!path.equals(hero)) {
                assertThat(renditionOf(path).width()).as("a thumbnail").isLessThanOrEqualTo(320);
            }
        }
        assertThat(http.get(hero).headers().firstValue("Content-Type")).hasValue("image/avif");

        // Today's one-URL page: the hero and each thumbnail as the largest JPEG.
        long oneUrl = bytes(photo.largestJpeg());
        for (int i = 0; i < thumbs.size(); i++) {
            oneUrl += bytes(photos.get(i).largestJpeg());
        }
        long transferred = fetched.values().stream().mapToLong(Long::longValue).sum();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "widget-image-bytes-" + width + "px-dpr" + dpr + ".txt"),
                "%d px, DPR %d: %s; %d B, against %d B as the largest JPEGs (%.3f)%n".formatted(width, dpr, fetched, transferred,
                        oneUrl, transferred / (double) oneUrl));
        assertThat(transferred).as("image bytes against %d B as the largest JPEGs", oneUrl).isLessThanOrEqualTo(oneUrl / 2);
        assertThat(cls).as("cumulative layout shift").isZero();
        Browser.screenshot(browser, "gallery-uploads-" + width + "px");
    }

    @Test
    void the_placeholder_is_painted_in_the_slot_before_the_image_arrives() throws Exception {
        var release = proxy.holdMedia();
        BufferedImage slot;
        try {
            open(proxy.base(), 1280, 900, 1);
            gallery.wait.withMessage(() -> "a placeholder behind the hero, but its style is " + gallery.hero().getDomAttribute("style"))
                    .until(d -> gallery.hero().getDomAttribute("style") != null
                    && gallery.hero().getDomAttribute("style").contains("data:image/png"));
            assertThat(gallery.js("return arguments[0].complete", gallery.hero())).as("the image is held back").isEqualTo(false);
            slot = ImageIO.read(new ByteArrayInputStream(gallery.find(".stage").getScreenshotAs(OutputType.BYTES)));
            Browser.screenshot(browser, "gallery-placeholder");
        } finally {
            release.countDown();
        }
        // 3:2 contained in the 500 × 500 stage: the picture's band is rows 84-416, the stage's grey above and below.
        int stageGrey = 0xf1f3f4;
        assertThat(slot.getRGB(250, 40) & 0xffffff).as("above the picture").isEqualTo(stageGrey);
        Set<Integer> colours = new HashSet<>();
        for (int y = 110; y < 400; y += 20) {
            for (int x = 70; x < 440; x += 20) {
                int rgb = slot.getRGB(x, y) & 0xffffff;
                assertThat(rgb).as("pixel %d,%d", x, y).isNotIn(0xffffff, stageGrey);
                colours.add(rgb);
            }
        }
        assertThat(colours.size()).as("a blurred picture, not one flat colour").isGreaterThan(20);

        awaitImagesLoaded();
        assertThat(gallery.hero().getDomAttribute("style")).as("the placeholder goes once the image is there")
                .doesNotContain("data:image");
    }

    @Test
    void the_first_hero_is_eager_and_the_next_loads_when_the_shopper_heads_for_it() {
        open(http.base(), 1280, 900, 1);
        awaitImagesLoaded();
        var hero = gallery.hero();
        assertThat(hero.getDomAttribute("fetchpriority")).isEqualTo("high");
        assertThat(hero.getDomAttribute("loading")).isNull();
        assertThat(gallery.all(".thumb img")).extracting(t -> t.getDomAttribute("loading")).containsOnly("lazy");
        String next = photos.get(1).smallestCovering("image/avif", 500, Integer.MAX_VALUE);
        assertThat(fetchedMedia()).doesNotContainKey(next);

        new Actions(browser).moveToElement(gallery.find(".next")).perform();
        gallery.wait.until(d -> fetchedMedia().containsKey(next));

        gallery.find(".next").click();
        gallery.wait.until(d -> (http.base() + next).equals(currentSrc(gallery.hero())));
    }

    @Test
    void the_lightbox_fits_the_screen_and_zooms_into_the_largest_rendition_with_click_wheel_and_drag() {
        open(http.base(), 1280, 900, 1);
        awaitImagesLoaded();
        gallery.find(".hero").click();
        gallery.wait.until(d -> gallery.lightboxOpen());
        WebElement big = gallery.find("dialog img");
        var photo = photos.get(0);
        // 1280 × 900: 3:2 within 94vw × 86vh is 1161 px wide.
        String fitted = photo.smallestCovering("image/avif", Math.min(1280 * .94, 900 * .86 * photo.ratio()), Integer.MAX_VALUE);
        gallery.wait.until(d -> (http.base() + fitted).equals(currentSrc(big)));
        assertThat(big.getDomAttribute("alt")).isEqualTo("Lamp view 1");
        assertThat(transform(big)).isEmpty();

        big.click();
        assertThat(transform(big)).isEqualTo("scale(2.5)");
        gallery.wait.until(d -> (http.base() + photo.largest("image/avif")).equals(currentSrc(big)));
        gallery.wait.until(d -> Boolean.TRUE.equals(gallery.js("return arguments[0].complete", big)));
        Browser.screenshot(browser, "gallery-lightbox-zoomed");
        String origin = origin(big);

        new Actions(browser).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(big), 0, 150).perform();
        gallery.wait.until(d -> scale(big) < 2.5);
        assertThat(scale(big)).isGreaterThan(1);

        new Actions(browser).moveToElement(big).clickAndHold().moveByOffset(-120, -60).release().perform();
        assertThat(origin(big)).as("a drag pans the zoomed image").isNotEqualTo(origin);
        assertThat(gallery.lightboxOpen()).isTrue();

        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        gallery.wait.until(d -> !gallery.lightboxOpen());
        assertThat(gallery.focusedClass()).as("focus returns to the hero").isEqualTo("hero");
        assertThat(transform(big)).isEmpty();
    }

    @Test
    void on_touch_a_double_tap_and_a_pinch_zoom_the_lightbox_and_the_close_button_closes_it() {
        open(http.base(), 375, 812, 2);
        awaitImagesLoaded();
        gallery.find(".hero").click();
        gallery.wait.until(d -> gallery.lightboxOpen());
        WebElement big = gallery.find("dialog img");
        gallery.wait.until(d -> Boolean.TRUE.equals(gallery.js("return arguments[0].complete", big)));

        tap(big, 1);
        assertThat(transform(big)).as("one tap does not zoom").isEmpty();
        tap(big, 2);
        gallery.wait.until(d -> "scale(2.5)".equals(transform(big)));
        tap(big, 2);
        gallery.wait.until(d -> transform(big).isEmpty());

        pinch(big, 20, 80);
        gallery.wait.until(d -> scale(big) > 2);

        gallery.find("dialog .x").click();
        gallery.wait.until(d -> !gallery.lightboxOpen());
        assertThat(gallery.focusedClass()).isEqualTo("hero");
    }

    private void open(String base, int width, int height, int dpr) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", dpr, "mobile", false));
        browser.get("about:blank");
        new GalleryPage(browser).wait.until(d -> "about:blank".equals(d.getCurrentUrl()));
        browser.executeCdpCommand("Network.clearBrowserCache", Map.of());
        gallery = new GalleryPage(browser);
        gallery.wait.ignoring(JavascriptException.class);
        browser.get(base + "/products/" + productId);
        gallery.awaitState("ready");
    }

    private void awaitImagesLoaded() {
        gallery.wait.until(d -> Boolean.TRUE.equals(gallery.js(
                "return [...arguments[0].shadowRoot.querySelectorAll('.hero img, .thumb img')].every(i => i.complete && i.naturalWidth > 0)",
                gallery.host())));
    }

    /** Media the page fetched, by path, with the encoded body size of each. */
    @SuppressWarnings("unchecked")
    private Map<String, Long> fetchedMedia() {
        var entries = (List<Map<String, Object>>) gallery.js("""
                return performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname.startsWith('/media/'))
                  .map(e => ({path: new URL(e.name).pathname, bytes: e.encodedBodySize}))""");
        Map<String, Long> out = new HashMap<>();
        entries.forEach(e -> out.merge((String) e.get("path"), ((Number) e.get("bytes")).longValue(), Long::sum));
        return out;
    }

    private static Rendition renditionOf(String path) {
        return photos.stream().map(p -> p.renditions().get(path)).filter(r -> r != null).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is no rendition of the gallery"));
    }

    private static long bytes(String path) {
        var response = http.get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        return Long.parseLong(response.headers().firstValue("Content-Length").orElseThrow());
    }

    private String currentSrc(WebElement img) {
        return (String) gallery.js("return arguments[0].currentSrc", img);
    }

    private String transform(WebElement img) {
        return (String) gallery.js("return arguments[0].style.transform", img);
    }

    private String origin(WebElement img) {
        return (String) gallery.js("return arguments[0].style.transformOrigin", img);
    }

    private double scale(WebElement img) {
        String t = transform(img);
        return t.isEmpty() ? 1 : Double.parseDouble(t.replaceAll("[^0-9.]", ""));
    }

    /** Taps the element's middle {@code times} times in quick succession, with a finger. */
    private void tap(WebElement element, int times) {
        var finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
        var taps = new Sequence(finger, 0);
        for (int i = 0; i < times; i++) {
            taps.addAction(finger.createPointerMove(Duration.ZERO, PointerInput.Origin.fromElement(element), 0, 0))
                    .addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
                    .addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        }
        browser.perform(List.of(taps));
        // Past the double-tap window, so the next taps start afresh.
        new Actions(browser).pause(Duration.ofMillis(400)).perform();
    }

    /** Two fingers moving apart from {@code from} to {@code to} px either side of the element's middle. */
    private void pinch(WebElement element, int from, int to) {
        List<Sequence> fingers = new ArrayList<>();
        for (int side : new int[] {-1, 1}) {
            var finger = new PointerInput(PointerInput.Kind.TOUCH, side < 0 ? "left" : "right");
            fingers.add(new Sequence(finger, 0)
                    .addAction(finger.createPointerMove(Duration.ZERO, PointerInput.Origin.fromElement(element), side * from, 0))
                    .addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
                    .addAction(finger.createPointerMove(Duration.ofMillis(300), PointerInput.Origin.fromElement(element), side * to, 0))
                    .addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg())));
        }
        browser.perform(fingers);
    }

    private static List<Photo> awaitRenditions() throws InterruptedException {
        long deadline = System.nanoTime() + PROCESSING.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode images = Api.json(http.get("/api/products/" + productId + "/images")).get("images");
            if (images.size() == 2) {
                List<Photo> out = new ArrayList<>();
                for (JsonNode image : images) {
                    Map<String, Rendition> renditions = new HashMap<>();
                    for (JsonNode source : image.path("sources")) {
                        for (String candidate : source.get("srcset").asText().split(",")) {
                            String[] parts = candidate.trim().split("\\s+");
                            renditions.put(parts[0], new Rendition(source.get("type").asText(),
                                    Integer.parseInt(parts[1].replace("w", ""))));
                        }
                    }
                    assertThat(renditions).as("sources of %s", image).isNotEmpty();
                    out.add(new Photo(image.get("width").asDouble() / image.get("height").asDouble(), image.get("url").asText(),
                            renditions));
                }
                return out;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the worker did not make both photos ready within " + PROCESSING);
    }

    /** A photo-like JPEG: soft light, shapes with edges, and sensor noise, so each format compresses as on a real photo. */
    static byte[] photo(int width, int height, int seed) throws Exception {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        var random = new Random(seed);
        g.setPaint(new GradientPaint(0, 0, new Color(60 + 80 * seed, 90, 140), width, height, new Color(230, 200, 150 - 60 * seed)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 40; i++) {
            int r = 40 + random.nextInt(300);
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            g.setPaint(new RadialGradientPaint(x, y, r, new float[] {0, 1},
                    new Color[] {new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)), new Color(0, 0, 0, 0)}));
            g.fillRect(x - r, y - r, 2 * r, 2 * r);
        }
        g.dispose();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int n = random.nextInt(13) - 6;
                image.setRGB(x, y, clamp((rgb >> 16 & 255) + n) << 16 | clamp((rgb >> 8 & 255) + n) << 8 | clamp((rgb & 255) + n));
            }
        }
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
