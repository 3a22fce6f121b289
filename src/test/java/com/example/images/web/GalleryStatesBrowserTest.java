package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Browser;
import com.example.images.support.Fixtures;
import com.example.images.support.OtherOrigin;
import com.example.images.support.ServiceProxy;
import com.example.images.support.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The widget's states in headless Chromium: loading, ready, no images, unknown product, and
 * network or server errors with a working retry. Slow and failing networks come from a
 * test-side proxy in front of the real service; the widget and the service are the real ones.
 */
class GalleryStatesBrowserTest {

    private static ChromeDriver browser;
    private static ServiceProxy proxy;
    private static OtherOrigin otherOrigin;
    private final Fixtures fixtures = Fixtures.shared();
    private final String service = TestApp.http().base();
    private GalleryPage gallery;

    @BeforeAll
    static void start() {
        browser = Browser.start();
        proxy = new ServiceProxy(TestApp.http().base());
        otherOrigin = new OtherOrigin();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (otherOrigin != null) {
            otherOrigin.close();
        }
    }

    @BeforeEach
    void page() {
        gallery = new GalleryPage(browser);
        proxy.failApi(0);
    }

    @Test
    void a_loading_skeleton_holds_the_space_until_the_gallery_arrives_with_no_layout_shift() throws Exception {
        var product = fixtures.placeholderProduct("Slowly Loaded Lamp", 6);
        var release = proxy.holdApi();
        // A phone-wide window, where the product details sit below the gallery and would move.
        browser.manage().window().setSize(new Dimension(420, 900));
        try {
            gallery.open(proxy.base() + "/products/" + product.id()).awaitState("loading");
            assertThat(gallery.host().getDomAttribute("aria-busy")).isEqualTo("");
            assertThat(gallery.find(".stage").getDomAttribute("class")).contains("sk");
            assertThat(gallery.all(".strip .sk")).hasSize(5);
            assertThat(gallery.find("[role=status]").getDomProperty("textContent")).isEqualTo("Loading images…");
            String skeleton = box(gallery.host());
            screenshotOfArticle("gallery-loading");
            assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();

            release.countDown();
            gallery.awaitState("ready");
            gallery.wait.until(d -> Boolean.TRUE.equals(
                    gallery.js("return arguments[0].complete && arguments[0].naturalWidth > 0", gallery.hero())));

            double cls = GalleryBrowserTest.cumulativeLayoutShift(browser);
            Files.writeString(Browser.screenshotDir().resolve("cls.txt"), String.format(Locale.ROOT, "%.6f%n", cls));
            assertThat(cls).isZero();
            assertThat(box(gallery.host())).isEqualTo(skeleton);
            assertThat(browser.findElement(By.cssSelector("h1")).getLocation().getY())
                    .as("the details are below the gallery").isGreaterThan(gallery.host().getRect().getY() + 400);
            assertThat(gallery.host().getDomAttribute("aria-busy")).isNull();
            assertThat(gallery.thumbs()).hasSize(6);
        } finally {
            release.countDown();
            browser.manage().window().setSize(new Dimension(1200, 900));
        }
    }

    @Test
    void a_product_without_images_says_no_images_yet() {
        var product = fixtures.placeholderProduct("Imageless Gadget", 0);

        gallery.open(service + "/products/" + product.id()).awaitState("empty");

        assertThat(gallery.find("[role=status]").getText()).startsWith("No images yet");
        assertThat(gallery.all("img")).isEmpty();
        screenshotOfArticle("gallery-empty");
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();
    }

    @Test
    void an_unknown_product_shows_a_not_found_message() {
        long unknown = fixtures.unknownProductId();
        String url = otherOrigin.page("/unknown.html", embedPage(unknown, service));

        gallery.open(url).awaitState("not-found");

        assertThat(gallery.find("[role=status]").getText()).startsWith("Product not found");
        Browser.screenshot(browser, "gallery-not-found");
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();
    }

    @Test
    void a_server_error_shows_a_retry_button_that_works() {
        var product = fixtures.placeholderProduct("Flaky Network Speaker", 3);
        proxy.failApi(1);
        int before = proxy.apiRequests();

        gallery.open(proxy.base() + "/products/" + product.id()).awaitState("error");

        WebElement alert = gallery.find("[role=alert]");
        assertThat(alert.getText()).startsWith("The images could not be loaded.");
        WebElement retry = gallery.find("button.retry");
        assertThat(retry.getText()).isEqualTo("Retry");
        screenshotOfArticle("gallery-error");
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();

        retry.click();

        gallery.awaitState("ready");
        assertThat(gallery.thumbs()).hasSize(3);
        assertThat(gallery.counter()).isEqualTo("1 / 3");
        assertThat(gallery.focusedClass()).as("focus stays in the gallery").isEqualTo("hero");
        assertThat(proxy.apiRequests() - before).isEqualTo(2);
    }

    @Test
    void a_network_failure_shows_the_error_state_with_retry() {
        var product = fixtures.placeholderProduct("Unreachable Kettle", 2);
        String url = otherOrigin.page("/offline.html", embedPage(product.id(), "http://127.0.0.1:1"));

        gallery.open(url).awaitState("error");

        assertThat(gallery.find("[role=alert]").getText()).startsWith("The images could not be loaded.");
        gallery.find("button.retry").click();
        gallery.awaitState("error");
        assertThat(gallery.find("button.retry").isDisplayed()).isTrue();
        assertThat(gallery.focusedClass()).isEqualTo("retry");
    }

    @Test
    void a_hostile_name_and_alt_text_are_shown_as_inert_text() {
        String hostile = "<img src=x onerror=\"window.__xss=1\"></script><script>window.__xss=2</script>";
        var product = fixtures.placeholderProduct(hostile, 2);

        gallery.open(service + "/products/" + product.id()).awaitState("ready");
        gallery.find(".hero").click();
        gallery.wait.until(d -> gallery.lightboxOpen());

        assertThat(browser.findElement(By.cssSelector("h1")).getText()).isEqualTo(hostile);
        assertThat(browser.getTitle()).isEqualTo(hostile);
        assertThat(gallery.hero().getDomAttribute("alt")).isEqualTo(hostile + " #0");
        assertThat(gallery.find("dialog p").getText()).isEqualTo(hostile + " #0");
        assertThat(gallery.thumbs().get(1).getDomAttribute("aria-label")).isEqualTo("Image 2 of 2: " + hostile + " #1");
        assertThat(gallery.find(".stage").getDomAttribute("aria-label")).isEqualTo("Images of " + hostile);
        assertThat(gallery.js("return window.__xss")).isNull();
        assertThat(gallery.js("""
                return document.querySelectorAll('img[src=x], script:not([src])').length
                  + arguments[0].shadowRoot.querySelectorAll('img[src=x], script').length""", gallery.host()))
                .isEqualTo(0L);
        Browser.screenshot(browser, "gallery-xss");
    }

    /** A page of another service that embeds the widget, pointing it at {@code apiOrigin}. */
    static String embedPage(long productId, String apiOrigin) {
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Another shop</title>
                <script type="module" src="%1$s/assets/gallery.js"></script></head>
                <body><main><h1>Another shop</h1>
                <product-gallery product-id="%2$d" api-origin="%3$s"></product-gallery>
                </main></body>
                </html>
                """.formatted(TestApp.http().base(), productId, apiOrigin);
    }

    private static String box(WebElement element) {
        var r = element.getRect();
        return r.getX() + "," + r.getY() + " " + r.getWidth() + "x" + r.getHeight();
    }

    private void screenshotOfArticle(String name) {
        Path file = Browser.screenshot(browser.findElement(By.cssSelector("article")), name);
        assertThat(file).exists();
    }
}
