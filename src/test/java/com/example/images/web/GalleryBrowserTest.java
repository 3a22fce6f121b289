package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Browser;
import com.example.images.support.Fixtures;
import com.example.images.support.Fixtures.CreatedProduct;
import com.example.images.support.Fixtures.ImageRow;
import com.example.images.support.TestApp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;

/** The gallery widget on the real product page in headless Chromium: every interaction. */
class GalleryBrowserTest {

    private static ChromeDriver browser;
    private final Fixtures fixtures = Fixtures.shared();
    private final String base = TestApp.http().base();
    private GalleryPage gallery;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void page() {
        gallery = new GalleryPage(browser);
    }

    private CreatedProduct openProduct(String name, int images) {
        var product = fixtures.placeholderProduct(name, images);
        gallery.open(base + "/products/" + product.id()).awaitState("ready");
        return product;
    }

    private static String full(CreatedProduct product, int position) {
        return "/img/" + product.id() + "/" + position + "/1200x900.svg";
    }

    @Test
    void hovering_a_thumbnail_makes_it_the_hero_in_the_legacy_look() {
        var product = openProduct("Elegant Bamboo Lamp", 4);
        List<WebElement> thumbs = gallery.thumbs();
        assertThat(thumbs).hasSize(4);
        assertThat(gallery.heroSrc()).isEqualTo(base + full(product, 0));
        assertThat(gallery.hero().getDomAttribute("alt")).isEqualTo("Elegant Bamboo Lamp #0");
        assertThat(gallery.selected()).isZero();

        new Actions(browser).moveToElement(thumbs.get(2)).perform();

        gallery.awaitSelected(2, full(product, 2));
        assertThat(gallery.hero().getDomAttribute("alt")).isEqualTo("Elegant Bamboo Lamp #2");
        assertThat(thumbs.get(0).getDomAttribute("aria-current")).isEqualTo("false");
        assertThat(gallery.counter()).isEqualTo("3 / 4");
        assertThat(css(thumbs.get(2), "borderBottom")).isEqualTo("4px solid rgb(66, 133, 244)");
        assertThat(css(thumbs.get(0), "borderBottomColor")).isEqualTo("rgba(0, 0, 0, 0)");
        assertThat(css(gallery.host(), "fontFamily")).startsWith("Roboto, Helvetica");
        assertThat(css(gallery.host(), "fontWeight")).isEqualTo("300");
        assertThat(gallery.find(".stage").getSize()).extracting("width", "height").containsExactly(500, 500);
        assertThat(thumbs.get(2).findElement(By.cssSelector("img")).getSize()).extracting("width", "height")
                .containsExactly(42, 42);
        Browser.screenshot(browser.findElement(By.cssSelector("article")), "gallery-ready");
    }

    @Test
    void clicking_a_thumbnail_selects_it() {
        var product = openProduct("Rustic Oak Chair", 5);

        gallery.thumbs().get(3).click();
        gallery.awaitSelected(3, full(product, 3));

        // A click alone, with no hover before it, selects as well (as a tap does on a phone).
        gallery.js("arguments[0].click()", gallery.thumbs().get(1));
        gallery.awaitSelected(1, full(product, 1));
        assertThat(gallery.counter()).isEqualTo("2 / 5");
    }

    @Test
    void thumbnails_are_labelled_buttons_and_only_the_selected_one_is_in_the_tab_order() {
        var product = openProduct("Sleek Steel Watch", 3);

        var thumbs = gallery.thumbs();
        assertThat(thumbs).allSatisfy(t -> assertThat(t.getTagName()).isEqualTo("button"));
        assertThat(thumbs).extracting(t -> t.getDomAttribute("aria-label")).containsExactly(
                "Image 1 of 3: Sleek Steel Watch #0", "Image 2 of 3: Sleek Steel Watch #1", "Image 3 of 3: Sleek Steel Watch #2");
        assertThat(thumbs).extracting(t -> t.getDomProperty("tabIndex")).containsExactly("0", "-1", "-1");
        assertThat(gallery.find(".strip").getDomAttribute("role")).isEqualTo("toolbar");
        assertThat(gallery.find(".count").getDomAttribute("aria-live")).isEqualTo("polite");
        assertThat(product.imageIds()).hasSize(3);
    }

    @Test
    void arrow_keys_home_and_end_move_the_selection_with_a_visible_focus_ring() {
        var product = openProduct("Handmade Cotton Towels", 5);
        var first = gallery.thumbs().get(0);

        first.sendKeys(Keys.ARROW_RIGHT);
        gallery.awaitSelected(1, full(product, 1));
        assertThat(gallery.focusedClass()).isEqualTo("thumb");
        assertThat(focusedIndex()).isEqualTo(1);
        String ring = (String) gallery.js("""
                const a = arguments[0].shadowRoot.activeElement, s = getComputedStyle(a);
                return a.matches(':focus-visible') + ' ' + s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor""",
                gallery.host());
        assertThat(ring).isEqualTo("true solid 3px rgb(66, 133, 244)");

        new Actions(browser).sendKeys(Keys.END).perform();
        gallery.awaitSelected(4, full(product, 4));
        assertThat(gallery.counter()).isEqualTo("5 / 5");
        assertThat(focusedIndex()).isEqualTo(4);

        new Actions(browser).sendKeys(Keys.ARROW_RIGHT).perform();
        gallery.awaitSelected(0, full(product, 0));

        new Actions(browser).sendKeys(Keys.ARROW_LEFT).perform();
        gallery.awaitSelected(4, full(product, 4));

        new Actions(browser).sendKeys(Keys.HOME).perform();
        gallery.awaitSelected(0, full(product, 0));
        assertThat(gallery.counter()).isEqualTo("1 / 5");
        assertThat(focusedIndex()).isZero();
        assertThat(gallery.thumbs()).extracting(t -> t.getDomProperty("tabIndex")).containsExactly("0", "-1", "-1", "-1", "-1");
    }

    @Test
    void keys_work_from_the_hero_too_and_tab_reaches_hero_buttons_and_strip() {
        var product = openProduct("Small Marble Bowl", 3);
        gallery.js("arguments[0].focus()", gallery.find(".hero"));

        new Actions(browser).sendKeys(Keys.ARROW_LEFT).perform();
        gallery.awaitSelected(2, full(product, 2));
        assertThat(gallery.focusedClass()).isEqualTo("hero");

        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(gallery.focusedClass()).isEqualTo("nav prev");
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(gallery.focusedClass()).isEqualTo("nav next");
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(gallery.focusedClass()).isEqualTo("thumb");
        assertThat(focusedIndex()).isEqualTo(2);
    }

    @Test
    void previous_and_next_buttons_wrap_around_and_the_counter_follows() {
        var product = openProduct("Ergonomic Wool Hat", 3);
        assertThat(gallery.counter()).isEqualTo("1 / 3");

        gallery.find(".prev").click();
        gallery.awaitSelected(2, full(product, 2));
        assertThat(gallery.counter()).isEqualTo("3 / 3");

        gallery.find(".next").click();
        gallery.awaitSelected(0, full(product, 0));
        assertThat(gallery.counter()).isEqualTo("1 / 3");

        gallery.find(".next").click();
        gallery.awaitSelected(1, full(product, 1));
        assertThat(gallery.counter()).isEqualTo("2 / 3");
        assertThat(gallery.lightboxOpen()).isFalse();
    }

    @Test
    void a_single_image_has_no_previous_and_next_buttons() {
        openProduct("Lonely Linen Shirt", 1);

        assertThat(gallery.find(".prev").isDisplayed()).isFalse();
        assertThat(gallery.find(".next").isDisplayed()).isFalse();
        assertThat(gallery.counter()).isEqualTo("1 / 1");
    }

    @Test
    void swiping_the_hero_by_touch_goes_to_the_next_and_previous_image() {
        var product = openProduct("Fantastic Rubber Shoes", 4);
        WebElement hero = gallery.find(".hero");

        swipe(hero, -150);
        gallery.awaitSelected(1, full(product, 1));
        swipe(hero, -150);
        gallery.awaitSelected(2, full(product, 2));
        swipe(hero, 150);
        gallery.awaitSelected(1, full(product, 1));
        swipe(hero, 150);
        swipe(hero, 150);
        gallery.awaitSelected(3, full(product, 3));
        assertThat(gallery.counter()).isEqualTo("4 / 4");
        assertThat(gallery.lightboxOpen()).as("a swipe is not a tap").isFalse();
    }

    @Test
    void the_thumbnail_strip_scrolls_to_keep_the_selected_thumbnail_in_view() {
        var product = openProduct("Enormous Paper Catalog", 24);
        WebElement strip = gallery.find(".strip");
        assertThat(num("return arguments[0].scrollWidth - arguments[0].clientWidth", strip)).isPositive();
        assertThat(inView(23)).isFalse();

        gallery.thumbs().get(0).sendKeys(Keys.END);
        gallery.awaitSelected(23, full(product, 23));
        gallery.wait.until(d -> inView(23));
        assertThat(inView(0)).isFalse();

        new Actions(browser).sendKeys(Keys.HOME).perform();
        gallery.awaitSelected(0, full(product, 0));
        gallery.wait.until(d -> inView(0));
        assertThat(num("return window.scrollY")).as("the page itself does not scroll").isZero();

        gallery.find(".prev").click();
        gallery.awaitSelected(23, full(product, 23));
        gallery.wait.until(d -> inView(23));
        Browser.screenshot(browser.findElement(By.cssSelector("article")), "gallery-many-thumbnails");
    }

    @Test
    void clicking_the_hero_opens_a_lightbox_that_escape_the_close_button_and_the_backdrop_dismiss() {
        var product = openProduct("Intelligent Silk Scarf", 3);
        gallery.find(".next").click();
        gallery.awaitSelected(1, full(product, 1));

        gallery.find(".hero").click();
        gallery.wait.until(d -> gallery.lightboxOpen());
        WebElement big = gallery.find("dialog img");
        assertThat((String) gallery.js("return arguments[0].src", big)).isEqualTo(base + full(product, 1));
        assertThat(big.getDomAttribute("alt")).isEqualTo("Intelligent Silk Scarf #1");
        assertThat(gallery.find("dialog p").getText()).isEqualTo("Intelligent Silk Scarf #1");
        assertThat(gallery.focusedClass()).isEqualTo("x");
        gallery.wait.until(d -> Boolean.TRUE.equals(gallery.js("return arguments[0].complete && arguments[0].naturalWidth > 0", big)));
        Browser.screenshot(browser, "gallery-lightbox");
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();

        new Actions(browser).sendKeys(Keys.ARROW_RIGHT).perform();
        gallery.wait.until(d -> ((String) gallery.js("return arguments[0].src", big)).endsWith(full(product, 2)));
        assertThat(gallery.find("dialog p").getText()).isEqualTo("Intelligent Silk Scarf #2");

        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        gallery.wait.until(d -> !gallery.lightboxOpen());
        assertThat(gallery.focusedClass()).as("focus returns to the hero").isEqualTo("hero");
        assertThat(gallery.counter()).isEqualTo("3 / 3");

        new Actions(browser).sendKeys(Keys.ENTER).perform();
        gallery.wait.until(d -> gallery.lightboxOpen());
        gallery.find("dialog .x").click();
        gallery.wait.until(d -> !gallery.lightboxOpen());
        assertThat(gallery.focusedClass()).isEqualTo("hero");

        gallery.find(".hero").click();
        gallery.wait.until(d -> gallery.lightboxOpen());
        new Actions(browser).moveToLocation(5, 5).click().perform();
        gallery.wait.until(d -> !gallery.lightboxOpen());
    }

    @Test
    void hero_reserves_its_space_uses_srcset_and_the_next_image_is_preloaded_when_about_to_be_shown() {
        var product = openProduct("Generic Frozen Pizza", 3);
        WebElement hero = gallery.hero();

        assertThat(hero.getDomAttribute("width")).isEqualTo("1200");
        assertThat(hero.getDomAttribute("height")).isEqualTo("900");
        assertThat(hero.getDomAttribute("srcset")).isEqualTo(full(product, 0) + " 1200w");
        assertThat(hero.getDomAttribute("sizes")).as("the slot's CSS width: 4:3 contained in 500 × 500").isEqualTo("500px");
        assertThat(hero.getDomAttribute("fetchpriority")).isEqualTo("high");
        assertThat(gallery.thumbs()).extracting(t -> t.findElement(By.cssSelector("img")).getDomAttribute("loading"))
                .containsOnly("lazy");
        assertThat(gallery.thumbs().get(1).findElement(By.cssSelector("img")).getDomAttribute("src"))
                .isEqualTo("/img/" + product.id() + "/1/84x84.svg");
        assertThat(fetched(full(product, 1))).as("nothing is preloaded before the shopper heads for it").isFalse();

        new Actions(browser).moveToElement(gallery.find(".next")).perform();
        gallery.wait.until(d -> fetched(full(product, 1)));
        assertThat(fetched(full(product, 2))).isFalse();

        gallery.find(".next").click();
        gallery.awaitSelected(1, full(product, 1));
        new Actions(browser).moveToElement(gallery.find(".count")).moveToElement(gallery.find(".next")).perform();
        gallery.wait.until(d -> fetched(full(product, 2)));
    }

    @Test
    void the_page_loads_without_layout_shift_or_third_party_requests() {
        // A phone-wide window, where the product details sit below the gallery and would move.
        browser.manage().window().setSize(new Dimension(420, 900));
        CreatedProduct product;
        double cls;
        try {
            product = openProduct("Tasty Granite Keyboard", 4);
            gallery.wait.until(d -> Boolean.TRUE.equals(
                    gallery.js("return arguments[0].complete && arguments[0].naturalWidth > 0", gallery.hero())));
            cls = cumulativeLayoutShift(browser);
        } finally {
            browser.manage().window().setSize(new Dimension(1200, 900));
        }

        assertThat(cls).isZero();
        @SuppressWarnings("unchecked")
        var urls = (List<String>) gallery.js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(urls).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base + "/"));
        assertThat(Browser.seriousAccessibilityViolations(browser)).isEmpty();
        assertThat(product.imageIds()).hasSize(4);
        assertThat(gallery.hero().getAttribute("src")).as("the gallery rendered under the page's CSP").isNotBlank();
        assertThat(Browser.contentSecurityPolicyViolations(browser)).isEmpty();
    }

    @Test
    void a_broken_image_shows_a_neutral_placeholder_and_keeps_its_alt_text() {
        var product = fixtures.product("Broken Bronze Vase", 2, (id, position) -> position == 0
                ? new ImageRow("/img/" + id + "/0/1200x900.svg", "/img/" + id + "/0/84x84.svg", "Vase front", 1200, 900)
                : new ImageRow("/img/" + id + "/1/missing.svg", "/img/" + id + "/1/missing-thumb.svg", "Vase back", 1200, 900));
        gallery.open(base + "/products/" + product.id()).awaitState("ready");

        gallery.find(".next").click();
        gallery.wait.until(d -> gallery.hero().getDomAttribute("class") != null
                && gallery.hero().getDomAttribute("class").contains("broken"));
        WebElement hero = gallery.hero();
        assertThat((String) gallery.js("return arguments[0].currentSrc", hero)).startsWith("data:image/svg+xml");
        gallery.wait.until(d -> num("return arguments[0].complete ? arguments[0].naturalWidth : 0", hero) > 0);
        assertThat(hero.getDomAttribute("alt")).isEqualTo("Vase back");
        WebElement brokenThumb = gallery.thumbs().get(1).findElement(By.cssSelector("img"));
        gallery.wait.until(d -> num("return arguments[0].complete ? arguments[0].naturalWidth : 0", brokenThumb) > 0);
        assertThat(brokenThumb.getDomAttribute("class")).contains("broken");
        Browser.screenshot(browser.findElement(By.cssSelector("article")), "gallery-broken-image");

        gallery.find(".next").click();
        gallery.awaitSelected(0, "/img/" + product.id() + "/0/1200x900.svg");
        assertThat(gallery.hero().getDomAttribute("class")).doesNotContain("broken");
    }

    /** The sum of layout-shift entries since navigation, as a browser reports CLS. */
    static double cumulativeLayoutShift(ChromeDriver browser) {
        Object value = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                let cls = 0;
                new PerformanceObserver(list => {
                  for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value;
                }).observe({type: 'layout-shift', buffered: true});
                requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => done(cls), 0)));
                """);
        return ((Number) value).doubleValue();
    }

    private int focusedIndex() {
        return gallery.thumbs().indexOf(gallery.shadow().findElement(By.cssSelector(".thumb:focus")));
    }

    private boolean inView(int index) {
        return Boolean.TRUE.equals(gallery.js("""
                const s = arguments[0].getBoundingClientRect(), t = arguments[1].getBoundingClientRect();
                return t.left >= s.left && t.right <= s.right""", gallery.find(".strip"), gallery.thumbs().get(index)));
    }

    private boolean fetched(String path) {
        return Boolean.TRUE.equals(gallery.js(
                "return performance.getEntriesByType('resource').some(e => e.name.endsWith(arguments[0]))", path));
    }

    private long num(String script, Object... args) {
        return ((Number) gallery.js(script, args)).longValue();
    }

    private String css(WebElement element, String property) {
        return (String) gallery.js("return getComputedStyle(arguments[0])[arguments[1]]", element, property);
    }

    /** A real touch swipe across the element's middle, through ChromeDriver's touch input. */
    private void swipe(WebElement element, int dx) {
        var finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
        var swipe = new Sequence(finger, 0)
                .addAction(finger.createPointerMove(Duration.ZERO, PointerInput.Origin.fromElement(element), -dx / 2, 0))
                .addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
                .addAction(finger.createPointerMove(Duration.ofMillis(120), PointerInput.Origin.fromElement(element), dx / 2, 0))
                .addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        browser.perform(List.of(swipe));
    }
}
