package com.example.images.web;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The merchant's gallery editor ({@code /admin/products/{id}}) as a merchant's browser shows it. */
final class EditorPage {

    final ChromeDriver browser;
    final WebDriverWait wait;
    private final String base;

    EditorPage(ChromeDriver browser, String base) {
        this.browser = browser;
        this.base = base;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(50));
    }

    /** Opens the editor of {@code productId} in a fresh tab state (no token kept from an earlier test). */
    EditorPage open(long productId) {
        return open(String.valueOf(productId));
    }

    EditorPage open(String productId) {
        browser.get(base + "/health/live");
        browser.executeScript("sessionStorage.clear()");
        browser.get(base + "/admin/products/" + productId);
        wait.until(d -> by("token-form").isDisplayed());
        return this;
    }

    /** Types the token and presses Enter, as a keyboard user would. */
    EditorPage enterToken(String token) {
        by("token").sendKeys(token, Keys.ENTER);
        return this;
    }

    EditorPage awaitEditor() {
        wait.withMessage(() -> "the editor, but the message says: " + message()).until(d -> by("editor").isDisplayed());
        if (by("token-form").isDisplayed()) {
            throw new AssertionError("the token form is still shown beside the editor");
        }
        return this;
    }

    WebElement by(String id) {
        return browser.findElement(By.id(id));
    }

    String message() {
        return by("message").getText();
    }

    String announced() {
        return by("announce").getDomProperty("textContent");
    }

    void awaitMessage(String start) {
        wait.withMessage(() -> "a message starting '" + start + "', but it says: " + message())
                .until(d -> message().startsWith(start));
    }

    String storedToken() {
        return (String) browser.executeScript("return sessionStorage.getItem('images-editor-token')");
    }

    /** Picks files with the file input, as the file chooser would. */
    void upload(Path... files) {
        by("files").sendKeys(List.of(files).stream().map(f -> f.toAbsolutePath().toString()).collect(Collectors.joining("\n")));
    }

    List<WebElement> uploads() {
        return browser.findElements(By.cssSelector("#uploads li"));
    }

    /** Waits until {@code count} uploads are shown, each in {@code state}, and returns their status texts. */
    List<String> awaitUploads(int count, String state, Duration timeout) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(100))
                .withMessage(() -> count + " uploads " + state + ", but they are " + uploadStates())
                .until(d -> uploads().size() == count && uploads().stream().allMatch(u -> state.equals(u.getDomAttribute("data-state"))));
        return uploads().stream().map(u -> u.findElement(By.cssSelector(".state")).getText()).toList();
    }

    private List<String> uploadStates() {
        return uploads().stream().map(u -> u.getDomAttribute("data-state") + ": " + u.getText()).toList();
    }

    List<WebElement> items() {
        return browser.findElements(By.cssSelector("#images li"));
    }

    /** The image ids in the order the editor shows them. */
    List<Long> shownIds() {
        return items().stream().map(li -> Long.parseLong(li.getDomAttribute("data-id"))).toList();
    }

    void awaitShownIds(List<Long> ids) {
        wait.withMessage(() -> "the editor showing " + ids + ", but it shows " + shownIds()).until(d -> shownIds().equals(ids));
    }

    WebElement item(long imageId) {
        return browser.findElement(By.cssSelector("#images li[data-id='" + imageId + "']"));
    }

    WebElement control(long imageId, String role) {
        return item(imageId).findElement(By.cssSelector("[data-role='" + role + "']"));
    }

    void editAlt(long imageId, String alt) {
        WebElement input = control(imageId, "alt");
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(alt);
        control(imageId, "save").click();
    }

    String altError(long imageId) {
        return browser.findElement(By.id("alt-error-" + imageId)).getText();
    }

    boolean dialogOpen() {
        return Boolean.TRUE.equals(browser.executeScript("return document.getElementById('confirm-delete').open"));
    }

    /**
     * Drags one image onto the top half of another. Chromium's WebDriver input does not start
     * HTML drag and drop, so the drag events are dispatched in the page, with a real DataTransfer.
     */
    void drag(long imageId, long ontoImageId) {
        browser.executeScript("""
                const [source, target] = arguments;
                const data = new DataTransfer();
                const box = target.getBoundingClientRect();
                const at = {bubbles: true, cancelable: true, dataTransfer: data, clientX: box.left + 10, clientY: box.top + 2};
                source.dispatchEvent(new DragEvent('dragstart', at));
                target.dispatchEvent(new DragEvent('dragover', at));
                target.dispatchEvent(new DragEvent('drop', at));
                source.dispatchEvent(new DragEvent('dragend', at));
                """, item(imageId), item(ontoImageId));
    }

    /**
     * Drops a PNG the page draws ({@code name}, 200×150) onto the page, as a file dragged from the
     * desktop would be; the events are dispatched in the page for the reason {@link #drag} says.
     */
    void dropPicture(String name) {
        browser.executeAsyncScript("""
                const [name, done] = arguments;
                const canvas = Object.assign(document.createElement('canvas'), {width: 200, height: 150});
                const g = canvas.getContext('2d');
                g.fillStyle = '#0a7'; g.fillRect(0, 0, 200, 150); g.fillStyle = '#fff'; g.fillRect(0, 60, 200, 30);
                canvas.toBlob(blob => {
                  const data = new DataTransfer();
                  data.items.add(new File([blob], name, {type: 'image/png'}));
                  const at = {bubbles: true, cancelable: true, dataTransfer: data};
                  document.querySelector('h1').dispatchEvent(new DragEvent('dragover', at));
                  document.querySelector('h1').dispatchEvent(new DragEvent('drop', at));
                  done();
                }, 'image/png');
                """, name);
    }

    /** Presses Tab until the focused element matches {@code css}. */
    void tabTo(String css) {
        for (int i = 0; i < 40; i++) {
            if (Boolean.TRUE.equals(browser.executeScript("return document.activeElement.matches(arguments[0])", css))) {
                return;
            }
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("Tab never reached " + css);
    }

    void pressAlt(Keys key) {
        new Actions(browser).keyDown(Keys.ALT).sendKeys(key).keyUp(Keys.ALT).perform();
    }

    /** The data-id of the image whose control has the focus, and the control's role. */
    String focused() {
        return (String) browser.executeScript("""
                const a = document.activeElement, li = a.closest('#images li');
                return li ? li.dataset.id + ' ' + a.dataset.role : a.id || a.tagName""");
    }
}
