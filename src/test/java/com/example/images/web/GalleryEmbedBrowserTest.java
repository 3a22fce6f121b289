package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Browser;
import com.example.images.support.Fixtures;
import com.example.images.support.OtherOrigin;
import com.example.images.support.TestApp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/** The widget on a page of another origin, reaching the service through CORS. */
class GalleryEmbedBrowserTest {

    private static ChromeDriver browser;
    private static OtherOrigin shop;
    private final Fixtures fixtures = Fixtures.shared();
    private final String service = TestApp.http().base();

    @BeforeAll
    static void start() {
        browser = Browser.start();
        shop = new OtherOrigin();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void the_widget_works_on_a_page_of_another_origin() {
        var product = fixtures.placeholderProduct("Embedded Velvet Sofa", 3);
        String url = shop.page("/sofa.html", GalleryStatesBrowserTest.embedPage(product.id(), service));
        var gallery = new GalleryPage(browser).open(url).awaitState("ready");

        assertThat(gallery.js("return location.origin")).isEqualTo(shop.base()).isNotEqualTo(service);
        assertThat(gallery.thumbs()).hasSize(3);
        // The data's site-relative image URLs are the service's, not the embedding page's.
        assertThat(gallery.heroSrc()).isEqualTo(service + "/img/" + product.id() + "/0/1200x900.svg");
        gallery.wait.until(d -> Boolean.TRUE.equals(
                gallery.js("return arguments[0].complete && arguments[0].naturalWidth > 0", gallery.hero())));
        assertThat((String) gallery.js("return arguments[0].querySelector('img').src", gallery.thumbs().get(2)))
                .isEqualTo(service + "/img/" + product.id() + "/2/84x84.svg");

        new Actions(browser).moveToElement(gallery.thumbs().get(2)).perform();
        gallery.awaitSelected(2, "/img/" + product.id() + "/2/1200x900.svg");
        assertThat(gallery.counter()).isEqualTo("3 / 3");
        // The page's own styles do not leak in, nor the widget's out.
        assertThat(gallery.js("return getComputedStyle(document.querySelector('h1')).fontWeight")).isEqualTo("700");
        Browser.screenshot(browser, "gallery-embedded");
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();
    }

    @Test
    void changing_the_product_id_attribute_loads_the_other_gallery() {
        var first = fixtures.placeholderProduct("First Cedar Desk", 2);
        var second = fixtures.placeholderProduct("Second Cedar Desk", 4);
        String url = shop.page("/switch.html", GalleryStatesBrowserTest.embedPage(first.id(), service));
        var gallery = new GalleryPage(browser).open(url).awaitState("ready");
        assertThat(gallery.thumbs()).hasSize(2);

        gallery.js("arguments[0].setAttribute('product-id', arguments[1])", gallery.host(), String.valueOf(second.id()));

        gallery.wait.until(d -> gallery.thumbs().size() == 4);
        assertThat(gallery.heroSrc()).isEqualTo(service + "/img/" + second.id() + "/0/1200x900.svg");
        assertThat(gallery.counter()).isEqualTo("1 / 4");
    }

    @Test
    void two_galleries_on_one_page_work_independently() {
        var lamp = fixtures.placeholderProduct("Twin Lamp", 2);
        var rug = fixtures.placeholderProduct("Twin Rug", 3);
        String url = shop.page("/twins.html", """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Two galleries</title>
                <script type="module" src="%1$s/assets/gallery.js"></script></head>
                <body><main><product-gallery product-id="%2$d" api-origin="%1$s"></product-gallery>
                <product-gallery product-id="%3$d" api-origin="%1$s"></product-gallery></main></body></html>
                """.formatted(service, lamp.id(), rug.id()));
        browser.get(url);
        var hosts = browser.findElements(By.cssSelector("product-gallery"));
        var gallery = new GalleryPage(browser);
        gallery.wait.until(d -> hosts.stream().allMatch(h -> "ready".equals(h.getDomAttribute("state"))));

        var rugThumbs = hosts.get(1).getShadowRoot().findElements(By.cssSelector("button.thumb"));
        rugThumbs.get(2).click();

        gallery.wait.until(d -> "true".equals(rugThumbs.get(2).getDomAttribute("aria-current")));
        List<String> counters = hosts.stream().map(h -> h.getShadowRoot().findElement(By.cssSelector(".count")).getText()).toList();
        assertThat(counters).containsExactly("1 / 2", "3 / 3");
    }
}
