package com.example.images.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Api;
import com.example.images.support.Browser;
import com.example.images.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

class ApiDocsBrowserTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
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
        long operations = operationsIn(Api.json(TestApp.http().get("/openapi.json")));
        browser.get(base + "/docs");

        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver -> driver.findElements(By.cssSelector(".opblock")).size() == operations);

        var paths = browser.findElements(By.cssSelector(".opblock-summary-path")).stream()
                .map(element -> element.getAttribute("data-path")).distinct().toList();
        assertThat(paths).contains("/api/products", "/api/products/{id}/images/order", "/health/ready");
        assertThat(browser.findElements(By.cssSelector(".btn.authorize"))).as("the bearer scheme's Authorize button").isNotEmpty();
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(requested).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base + "/"));
        assertThat(Browser.contentSecurityPolicyViolations(browser)).as("Swagger UI under the page's CSP").isEmpty();
        Files.write(Browser.screenshotDir().resolve("api-docs.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static long operationsIn(JsonNode document) {
        return document.get("paths").properties().stream()
                .flatMap(path -> path.getValue().properties().stream())
                .filter(operation -> METHODS.contains(operation.getKey()))
                .count();
    }
}
