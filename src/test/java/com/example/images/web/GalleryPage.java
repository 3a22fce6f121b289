package com.example.images.web;

import com.example.images.support.Browser;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The {@code <product-gallery>} on the current page, seen through its shadow DOM. */
final class GalleryPage {

    final ChromeDriver browser;
    final WebDriverWait wait;

    GalleryPage(ChromeDriver browser) {
        this.browser = browser;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(25));
    }

    GalleryPage open(String url) {
        browser.get(url);
        return this;
    }

    /** Waits until the widget reports {@code state} (loading, ready, empty, not-found, error). */
    GalleryPage awaitState(String state) {
        wait.withMessage(() -> "gallery state " + state + ", but it is " + state()).until(d -> state.equals(state()));
        return this;
    }

    String state() {
        var hosts = browser.findElements(By.cssSelector("product-gallery"));
        return hosts.isEmpty() ? null : hosts.get(0).getDomAttribute("state");
    }

    WebElement host() {
        return browser.findElement(By.cssSelector("product-gallery"));
    }

    SearchContext shadow() {
        return host().getShadowRoot();
    }

    WebElement find(String css) {
        return shadow().findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return shadow().findElements(By.cssSelector(css));
    }

    List<WebElement> thumbs() {
        return all("button.thumb");
    }

    WebElement hero() {
        return find(".hero img");
    }

    /** The hero image's URL as the browser resolved it. */
    String heroSrc() {
        return (String) js("return arguments[0].src", hero());
    }

    String counter() {
        return find(".count").getText();
    }

    int selected() {
        var thumbs = thumbs();
        for (int i = 0; i < thumbs.size(); i++) {
            if ("true".equals(thumbs.get(i).getDomAttribute("aria-current"))) {
                return i;
            }
        }
        return -1;
    }

    /** Waits until thumbnail {@code index} is the selected one and the hero shows its image. */
    void awaitSelected(int index, String heroSuffix) {
        wait.withMessage(() -> "image " + index + " selected, but " + selected() + " is, hero " + heroSrc())
                .until(d -> selected() == index && heroSrc().endsWith(heroSuffix));
    }

    /** The class of the element focused inside the gallery's shadow root, or null. */
    String focusedClass() {
        return (String) js("const a = arguments[0].shadowRoot.activeElement; return a ? a.className : null", host());
    }

    boolean lightboxOpen() {
        return Boolean.TRUE.equals(js("return arguments[0].shadowRoot.querySelector('dialog').open", host()));
    }

    Object js(String script, Object... args) {
        return browser.executeScript(script, args);
    }

    void screenshot(String name) {
        Browser.screenshot(browser, name);
    }
}
