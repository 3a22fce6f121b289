package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Browser;
import com.example.images.support.Fixtures;
import com.example.images.support.TestApp;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

class GalleryBrowserTest {

    private static ChromeDriver browser;

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

    @Test
    void hovering_a_thumbnail_makes_it_the_hero() throws Exception {
        var product = new Fixtures(com.example.images.support.TestDatabase.shared().dataSource())
                .product("Elegant Bamboo Lamp", 4);
        browser.get(TestApp.http().base() + "/products/" + product.id());
        var wait = new WebDriverWait(browser, Duration.ofSeconds(10));

        SearchContext gallery = wait.until(d -> d.findElement(By.cssSelector("product-gallery")).getShadowRoot());
        List<WebElement> thumbs = wait.until(d -> {
            var found = gallery.findElements(By.cssSelector("button.thumb"));
            return found.size() == 4 ? found : null;
        });
        WebElement hero = gallery.findElement(By.cssSelector(".hero img"));

        assertThat(hero.getAttribute("src")).endsWith("/" + product.id() + "/0.jpg");
        assertThat(hero.getAttribute("alt")).isEqualTo("Elegant Bamboo Lamp #0");
        assertThat(thumbs.get(0).getAttribute("aria-current")).isEqualTo("true");
        assertThat(browser.findElement(By.cssSelector("h1")).getText()).isEqualTo("Elegant Bamboo Lamp");

        new Actions(browser).moveToElement(thumbs.get(2)).perform();

        wait.until(d -> hero.getAttribute("src").endsWith("/" + product.id() + "/2.jpg"));
        assertThat(hero.getAttribute("alt")).isEqualTo("Elegant Bamboo Lamp #2");
        assertThat(thumbs.get(2).getAttribute("aria-current")).isEqualTo("true");
        assertThat(thumbs.get(0).getAttribute("aria-current")).isEqualTo("false");
        String border = (String) browser.executeScript(
                "return getComputedStyle(arguments[0]).borderBottom", thumbs.get(2));
        assertThat(border).contains("4px").contains("rgb(66, 133, 244)");

        Files.write(Browser.screenshotDir().resolve("gallery-hover.png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
