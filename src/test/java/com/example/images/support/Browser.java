package com.example.images.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium driven by its ChromeDriver; nothing is downloaded. */
public final class Browser {

    public static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
    /** axe-core from npm ({@code package.json}); bin/test and .ci/run install it. */
    public static final Path AXE = Path.of(System.getProperty("axe.script", "node_modules/axe-core/axe.min.js"));

    private Browser() {
    }

    public static ChromeDriver start() {
        return start(org.openqa.selenium.PageLoadStrategy.NORMAL);
    }

    /**
     * As {@link #start()}, with ChromeDriver waiting for page loads as {@code strategy} says:
     * {@code NONE} for tests that hold responses back, which would otherwise hold every command.
     */
    public static ChromeDriver start(org.openqa.selenium.PageLoadStrategy strategy) {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("Chromium is needed at " + CHROMIUM + " and ChromeDriver at " + CHROMEDRIVER
                    + ": apt-get install chromium chromium-driver (.ci/run does)");
        }
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.setPageLoadStrategy(strategy);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,900", "--user-data-dir=" + tempProfile());
        // Console messages, for the Content-Security-Policy violations Chromium reports there.
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        return new ChromeDriver(service, options);
    }

    private static String tempProfile() {
        try {
            return Files.createTempDirectory("chromium-profile").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What Chromium's console said about Content-Security-Policy since the last call: nothing, on a page that keeps to it. */
    public static List<String> contentSecurityPolicyViolations(org.openqa.selenium.WebDriver browser) {
        return browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Content-Security-Policy"))
                .toList();
    }

    /** Saves a screenshot of a page or of one element as target/screenshots/{name}.png, for humans to look at. */
    public static Path screenshot(TakesScreenshot what, String name) {
        Path file = screenshotDir().resolve(name + ".png");
        try {
            Files.write(file, what.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Runs axe-core on the current page (shadow DOM included) and returns the violations whose
     * impact is serious or critical, each as "rule-id: help (targets)".
     */
    @SuppressWarnings("unchecked")
    public static List<String> seriousAccessibilityViolations(JavascriptExecutor page) {
        if (!Boolean.TRUE.equals(page.executeScript("return typeof window.axe === 'object'"))) {
            if (!Files.isReadable(AXE)) {
                throw new IllegalStateException("axe-core is needed at " + AXE.toAbsolutePath()
                        + ": run npm install in the project folder (bin/test and .ci/run do)");
            }
            try {
                page.executeScript(Files.readString(AXE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        var violations = (List<Map<String, Object>>) page.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                      targets: v.nodes.map(n => JSON.stringify(n.target)).join(' ')}))))
                  .catch(e => done([{id: 'axe-failed', impact: 'critical', help: String(e), targets: ''}]));
                """);
        return violations.stream()
                .filter(v -> "serious".equals(v.get("impact")) || "critical".equals(v.get("impact")))
                .map(v -> v.get("id") + ": " + v.get("help") + " (" + v.get("targets") + ")")
                .toList();
    }

    /** Where screenshots go, for humans to look at. */
    public static Path screenshotDir() {
        Path dir = Path.of("target", "screenshots");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }
}
