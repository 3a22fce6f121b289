package com.example.images.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Browser;
import com.example.images.support.TestApp;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

class ApiDocsBrowserTest {

    /** The operations in /openapi.json: 10 under /api, the media read, two health checks and the metrics. */
    private static final int OPERATIONS = 14;
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
    void swagger_ui_renders_every_operation_from_files_served_here_only() throws Exception {
        String base = TestApp.http().base();
        browser.get(base + "/docs");

        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver -> driver.findElements(By.cssSelector(".opblock")).size() == OPERATIONS);

        var operations = browser.findElements(By.cssSelector(".opblock-summary-path")).stream()
                .map(element -> element.getAttribute("data-path")).distinct().toList();
        assertThat(operations).contains("/api/products", "/api/products/{id}/images/order", "/health/ready");
        assertThat(browser.findElements(By.cssSelector(".btn.authorize"))).as("the bearer scheme's Authorize button").isNotEmpty();
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(requested).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base + "/"));
        assertThat(Browser.contentSecurityPolicyViolations(browser)).as("Swagger UI under the page's CSP").isEmpty();
        Files.write(Browser.screenshotDir().resolve("api-docs.png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
