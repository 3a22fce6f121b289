package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.db.Database;
import com.example.images.db.DatabaseUrl;
import com.example.images.support.Api;
import com.example.images.support.Browser;
import com.example.images.support.Fixtures;
import com.example.images.support.Http;
import com.example.images.support.ScratchDatabases;
import com.example.images.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The merchant's gallery editor end to end in headless Chromium: the real service on a database
 * of its own, with its media worker turning uploads into renditions with libvips; the files are
 * pictures the test writes and picks through the page's file input.
 */
class EditorBrowserTest {

    private static final String TOKEN = "editor-test-token-8d41c0b2e7";
    private static final Duration PROCESSING = Duration.ofMinutes(3);

    private static Application app;
    private static HikariDataSource database;
    private static ChromeDriver browser;
    private static Http http;
    private static Api api;
    private static Fixtures fixtures;

    @BeforeAll
    static void start() throws Exception {
        // Its own database: the worker would otherwise claim jobs that media tests queue on the shared one.
        DatabaseUrl url = ScratchDatabases.create();
        app = Application.start(Settings.defaults(TestDatabase.tempDir("editor-test-app")).withDatabase(url)
                .withDemoData(false).withApiTokens(ApiTokens.of(TOKEN)));
        database = Database.pool(url, 2, Duration.ofSeconds(10), "editor-fixtures");
        http = new Http("http://127.0.0.1:" + app.port());
        api = new Api(http, TOKEN);
        fixtures = new Fixtures(database);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private EditorPage editor() {
        return new EditorPage(browser, http.base());
    }

    @Test
    void a_merchant_uploads_reorders_describes_and_deletes_images_and_the_shopper_sees_the_result(@TempDir Path dir)
            throws IOException {
        long product = api.createProduct("Editor Desk Lamp", 0).get("productId").asLong();
        var editor = editor().open(product).enterToken(TOKEN).awaitEditor();
        assertThat(browser.findElement(By.cssSelector("h1 .product-name")).getText()).isEqualTo("Editor Desk Lamp");

        editor.upload(picture(dir, "red.png", Color.RED, 480, 320), picture(dir, "green.jpg", Color.GREEN, 400, 400),
                picture(dir, "blue.png", Color.BLUE, 320, 480));

        assertThat(editor.awaitUploads(3, "ready", PROCESSING)).containsOnly("Ready");
        assertThat(browser.findElements(By.cssSelector("#uploads progress")))
                .allSatisfy(progress -> assertThat(progress.getDomProperty("value")).isEqualTo("100"));
        List<Long> uploaded = galleryIds(product);
        assertThat(uploaded).hasSize(3);
        editor.awaitShownIds(uploaded);
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();
        long first = uploaded.get(0);
        long second = uploaded.get(1);
        long third = uploaded.get(2);

        editor.drag(third, first);
        awaitGallery(editor, product, List.of(third, first, second));
        editor.control(first, "later").click();
        awaitGallery(editor, product, List.of(third, second, first));
        editor.awaitShownIds(List.of(third, second, first));

        editor.editAlt(third, "Desk lamp, switched on");
        editor.wait.until(d -> "Desk lamp, switched on".equals(alt(product, third)));
        Browser.screenshot(browser, "editor");
        String blank = "   ";
        JsonNode refused = Api.json(api.write("PATCH", "/api/products/" + product + "/images/" + second,
                "{\"alt\":\"" + blank + "\"}"));
        editor.editAlt(second, blank);
        editor.wait.until(d -> !editor.altError(second).isEmpty());
        assertThat(editor.altError(second)).isEqualTo("Alt text " + refused.at("/errors/0/reason").asText() + ".");
        assertThat(editor.control(second, "alt").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(alt(product, second)).isEmpty();

        editor.control(second, "delete").click();
        editor.wait.until(d -> editor.dialogOpen());
        Browser.screenshot(browser, "editor-delete");
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();
        browser.findElement(By.cssSelector("#confirm-delete button[value=cancel]")).click();
        editor.wait.until(d -> !editor.dialogOpen());
        assertThat(editor.focused()).isEqualTo(second + " delete");
        editor.control(second, "delete").click();
        editor.wait.until(d -> editor.dialogOpen());
        browser.findElement(By.cssSelector("#confirm-delete button[value=delete]")).click();

        awaitGallery(editor, product, List.of(third, first));
        editor.awaitShownIds(List.of(third, first));
        assertThat(Browser.contentSecurityPolicyViolations(browser)).isEmpty();

        var shopper = new GalleryPage(browser).open(http.base() + "/products/" + product).awaitState("ready");
        assertThat(shopper.thumbs()).hasSize(2);
        assertThat(shopper.hero().getDomAttribute("alt")).isEqualTo("Desk lamp, switched on");
    }

    @Test
    void a_picture_dropped_on_the_page_is_uploaded_and_joins_the_gallery() {
        long product = api.createProduct("Dropped Picture Frame", 0).get("productId").asLong();
        var editor = editor().open(product).enterToken(TOKEN).awaitEditor();

        editor.dropPicture("from-the-desktop.png");

        assertThat(editor.awaitUploads(1, "ready", PROCESSING)).containsExactly("Ready");
        assertThat(editor.uploads().getFirst().getText()).startsWith("from-the-desktop.png");
        List<Long> ids = galleryIds(product);
        assertThat(ids).hasSize(1);
        editor.awaitShownIds(ids);
        assertThat(Api.json(http.get("/api/products/" + product + "/images/" + ids.getFirst())).get("width").asInt())
                .isEqualTo(200);
    }

    @Test
    void a_reorder_of_a_gallery_changed_meanwhile_says_so_and_shows_the_current_order() {
        var product = fixtures.placeholderProduct("Stale Order Chair", 3);
        var editor = openedWithImages(product);
        long a = product.imageIds().get(0);
        long b = product.imageIds().get(1);
        long c = product.imageIds().get(2);

        editor.control(b, "alt").sendKeys(", typed but not saved");
        var behindTheBack = api.write("PUT", "/api/products/" + product.id() + "/images/order",
                "{\"imageIds\":[" + c + "," + b + "," + a + "]}");
        assertThat(behindTheBack.statusCode()).isEqualTo(200);
        editor.control(a, "later").click();

        editor.awaitMessage("Someone else changed this gallery");
        editor.awaitShownIds(List.of(c, b, a));
        assertThat(galleryIds(product.id())).containsExactly(c, b, a);
        assertThat(editor.control(b, "alt").getDomProperty("value")).isEqualTo("Stale Order Chair #1, typed but not saved");
        Browser.screenshot(browser, "editor-stale");
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();

        editor.control(c, "later").click();
        awaitGallery(editor, product.id(), List.of(b, c, a));
        editor.control(b, "save").click();
        editor.wait.until(d -> "Stale Order Chair #1, typed but not saved".equals(alt(product.id(), b)));
    }

    @Test
    void images_are_reordered_with_the_keyboard_alone() {
        var product = fixtures.placeholderProduct("Keyboard Shelf", 3);
        var editor = openedWithImages(product);
        long a = product.imageIds().get(0);
        long b = product.imageIds().get(1);
        long c = product.imageIds().get(2);

        editor.tabTo("#images li:first-child .handle");
        editor.pressAlt(Keys.ARROW_DOWN);

        awaitGallery(editor, product.id(), List.of(b, a, c));
        assertThat(editor.focused()).isEqualTo(a + " handle");
        editor.wait.until(d -> editor.announced().equals("Moved “Keyboard Shelf #0” to position 2 of 3."));

        editor.pressAlt(Keys.ARROW_DOWN);
        awaitGallery(editor, product.id(), List.of(b, c, a));
        editor.tabTo("#images li[data-id='" + a + "'] [data-role=earlier]");
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        awaitGallery(editor, product.id(), List.of(b, a, c));
        assertThat(editor.focused()).isEqualTo(a + " earlier");
    }

    @Test
    void the_editor_fits_a_phone_screen_without_sideways_scrolling() {
        browser.manage().window().setSize(new Dimension(375, 812));
        try {
            var editor = openedWithImages(fixtures.placeholderProduct("Narrow Screen Stool", 2));

            assertThat(browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            Browser.screenshot(browser, "editor-phone");
            assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();
            assertThat(editor.items()).allSatisfy(item -> assertThat(item.getRect().getWidth()).isLessThanOrEqualTo(375));
        } finally {
            browser.manage().window().setSize(new Dimension(1200, 900));
        }
    }

    @Test
    void an_upload_that_cannot_be_processed_or_is_no_image_says_why(@TempDir Path dir) throws IOException {
        long product = api.createProduct("Broken Files Vase", 0).get("productId").asLong();
        var editor = editor().open(product).enterToken(TOKEN).awaitEditor();

        editor.upload(corruptPng(dir));
        String failed = editor.awaitUploads(1, "failed", PROCESSING).getFirst();
        assertThat(failed).startsWith("Failed: ").hasSizeGreaterThan("Failed: ".length() + 3);
        long image = Long.parseLong(editor.uploads().getFirst().getDomAttribute("data-image-id"));
        editor.wait.until(d -> editor.shownIds().equals(List.of(image))
                && "failed".equals(editor.item(image).getDomAttribute("data-status")));
        assertThat(editor.item(image).findElement(By.cssSelector(".status")).getText()).isEqualTo(failed);
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();
        editor.control(image, "delete").click();
        editor.wait.until(d -> editor.dialogOpen());
        browser.findElement(By.cssSelector("#confirm-delete button[value=delete]")).click();
        editor.wait.until(d -> editor.items().isEmpty());

        editor.upload(Files.writeString(dir.resolve("notes.png"), "these are notes, not a picture"));
        editor.wait.until(d -> editor.uploads().size() == 2
                && "rejected".equals(editor.uploads().get(1).getDomAttribute("data-state")));
        assertThat(editor.uploads().get(1).getText()).contains("Not uploaded: ").doesNotContain("answered 415");
        assertThat(Api.imageIds(Api.json(http.get("/api/products/" + product)))).as("no image left, failed or not").isEmpty();
    }

    @Test
    void a_wrong_token_is_refused_with_a_message_and_forgotten() {
        var product = fixtures.placeholderProduct("Locked Cabinet", 1);
        var editor = editor().open(product.id()).enterToken("wrong-token-but-long-enough");

        editor.awaitMessage("The API token was refused");
        assertThat(editor.storedToken()).isNull();
        assertThat(editor.by("token-form").isDisplayed()).isTrue();
        assertThat(editor.by("editor").isDisplayed()).isFalse();
        assertThat(editor.items()).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("Locked Cabinet");
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();

        editor.enterToken(TOKEN).awaitEditor();
        assertThat(editor.message()).isEmpty();
        assertThat(editor.items()).hasSize(1);
        // The token is checked by reading the product with it, not by a write that fails on purpose.
        String metrics = http.get("/metrics").body();
        assertThat(metrics).containsPattern("\\{method=\"GET\",route=\"[^\"]*\",status=\"401\"}")
                .doesNotContainPattern("\\{method=\"PUT\",route=\"[^\"]*\",status=\"(401|415)\"}");
    }

    @Test
    void an_unknown_product_says_there_is_none() {
        long unknown = fixtures.unknownProductId();
        var editor = editor().open(unknown).enterToken(TOKEN);

        editor.awaitMessage("There is no product with id " + unknown + ".");
        assertThat(editor.by("editor").isDisplayed()).isFalse();
        assertThat(editor.storedToken()).isEqualTo(TOKEN);
    }

    @Test
    void a_hostile_name_and_alt_text_stay_inert_text() {
        String hostile = "<img src=x onerror=\"window.__xss=1\"></script><script>window.__xss=2</script>";
        var editor = openedWithImages(fixtures.placeholderProduct(hostile, 2));

        assertThat(browser.findElement(By.cssSelector("h1 .product-name")).getText()).isEqualTo(hostile);
        long first = editor.shownIds().getFirst();
        assertThat(editor.control(first, "alt").getDomProperty("value")).isEqualTo(hostile + " #0");
        assertThat(editor.control(first, "handle").getDomAttribute("aria-label")).contains(hostile + " #0");
        assertThat(browser.executeScript("return window.__xss")).isNull();
        assertThat(browser.executeScript("return document.querySelectorAll('img[src=x], script:not([src])').length"))
                .isEqualTo(0L);
    }

    /** The editor of {@code product}, opened with the right token, showing its images in gallery order. */
    private EditorPage openedWithImages(Fixtures.CreatedProduct product) {
        var editor = editor().open(product.id()).enterToken(TOKEN).awaitEditor();
        editor.awaitShownIds(product.imageIds());
        return editor;
    }

    private static List<Long> galleryIds(long product) {
        return Api.imageIds(Api.json(http.get("/api/products/" + product + "/images")));
    }

    private static String alt(long product, long image) {
        return Api.json(http.get("/api/products/" + product + "/images/" + image)).get("alt").asText();
    }

    /** Waits until the public gallery, which the shopper's page reads, lists {@code ids} in this order. */
    private static void awaitGallery(EditorPage editor, long product, List<Long> ids) {
        editor.wait.withMessage(() -> "the gallery " + ids + ", but it is " + galleryIds(product) + "; the page says: "
                + editor.message()).until(d -> galleryIds(product).equals(ids));
    }

    /** A picture of one colour with a white band, so its renditions are not trivially flat. */
    private static Path picture(Path dir, String name, Color color, int width, int height) throws IOException {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillRect(0, height / 3, width, height / 6);
        g.dispose();
        Path file = dir.resolve(name);
        ImageIO.write(image, name.substring(name.lastIndexOf('.') + 1).replace("jpg", "jpeg"), file.toFile());
        return file;
    }

    /** A PNG whose header and end are intact and whose pixel data is garbage: accepted on upload, refused by libvips. */
    private static Path corruptPng(Path dir) throws IOException {
        var image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        var random = new java.util.Random(7);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        Path png = dir.resolve("corrupt.png");
        ImageIO.write(image, "png", png.toFile());
        byte[] bytes = Files.readAllBytes(png);
        int data = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("IDAT") + 4 + 200;
        java.util.Arrays.fill(bytes, data, data + 2000, (byte) 0x5a);
        return Files.write(png, bytes);
    }
}
