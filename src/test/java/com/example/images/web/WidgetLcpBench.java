package com.example.images.web;

import com.example.images.support.Browser;
import com.example.images.support.ServiceProxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The shopper's page of a running service measured in headless Chromium (bench/widget/run.sh):
 * the largest contentful paint and the image bytes of {@code /products/{id}} at a phone's and a
 * desktop's viewport, with the widget's responsive {@code <picture>}s against the same page with
 * today's fixed URLs (the gallery JSON without {@code sources}, through {@link ServiceProxy}).
 * Both pages go through a proxy of their own, so they pay the same hop. Not a test: surefire
 * runs only {@code *Test} classes.
 *
 * <pre>WidgetLcpBench BASE_URL PRODUCT_ID ROUNDS SCREENSHOT_NAME</pre>
 *
 * Prints a Markdown table of medians; saves a screenshot of the product at 1280 px as
 * target/screenshots/{SCREENSHOT_NAME}.png.
 */
public final class WidgetLcpBench {

    record Viewport(int width, int height, int dpr) {
        @Override
        public String toString() {
            return width + " px, DPR " + dpr;
        }
    }

    record Load(String hero, double lcpMs, boolean lcpIsHero, long encodedBytes, long transferBytes, int images) {
    }

    private static final List<Viewport> VIEWPORTS = List.of(new Viewport(375, 812, 2), new Viewport(1280, 900, 1));

    private WidgetLcpBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: WidgetLcpBench BASE_URL PRODUCT_ID ROUNDS SCREENSHOT_NAME");
        }
        String base = args[0];
        long product = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Map<String, List<Load>> loads = new LinkedHashMap<>();
        ChromeDriver browser = Browser.start();
        try (var responsive = new ServiceProxy(base); var fixed = new ServiceProxy(base).withoutSources()) {
            Map<String, ServiceProxy> pages = new LinkedHashMap<>();
            pages.put("responsive (`<picture>`, `sources`)", responsive);
            pages.put("today's fixed URLs (`url` only)", fixed);
            Map<String, String> heroType = Map.of(responsive.base(), ".avif", fixed.base(), ".jpg");
            // A first load of each, not counted: the service's and Chromium's first requests are slower.
            for (var page : pages.values()) {
                load(browser, page.base(), product, VIEWPORTS.getLast());
            }
            load(browser, responsive.base(), product, VIEWPORTS.getLast());
            Browser.screenshot(browser.findElement(By.cssSelector("article")), args[3]);
            for (int round = 0; round < rounds; round++) {
                for (var viewport : VIEWPORTS) {
                    for (var page : pages.entrySet()) {
                        Load load = load(browser, page.getValue().base(), product, viewport);
                        if (!load.hero().endsWith(heroType.get(page.getValue().base()))) {
                            throw new IllegalStateException(page.getKey() + " at " + viewport + " showed the hero " + load.hero());
                        }
                        loads.computeIfAbsent(viewport + "|" + page.getKey(), k -> new ArrayList<>()).add(load);
                    }
                }
            }
        } finally {
            browser.quit();
        }
        print(loads, rounds);
    }

    private static Load load(ChromeDriver browser, String base, long product, Viewport viewport) {
        browser.get("about:blank");
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", viewport.width(), "height",
                viewport.height(), "deviceScaleFactor", viewport.dpr(), "mobile", false));
        browser.executeCdpCommand("Network.clearBrowserCache", Map.of());
        var gallery = new GalleryPage(browser);
        gallery.wait.ignoring(JavascriptException.class);
        browser.get(base + "/products/" + product);
        gallery.awaitState("ready");
        gallery.wait.until(d -> Boolean.TRUE.equals(gallery.js(
                "const i = arguments[0]; return i.complete && i.naturalWidth > 0", gallery.hero())));
        awaitQuietNetwork(gallery);
        @SuppressWarnings("unchecked")
        var lcp = (Map<String, Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                setTimeout(() => done(null), 3000);
                new PerformanceObserver((list, observer) => {
                  const last = list.getEntries().at(-1);
                  observer.disconnect();
                  done({ms: last.renderTime || last.startTime, url: last.url});
                }).observe({type: 'largest-contentful-paint', buffered: true});""");
        if (lcp == null) {
            throw new IllegalStateException("no largest-contentful-paint entry at " + viewport);
        }
        String hero = (String) gallery.js("return arguments[0].currentSrc", gallery.hero());
        @SuppressWarnings("unchecked")
        var bytes = (Map<String, Object>) gallery.js("""
                const images = performance.getEntriesByType('resource').filter(e => e.initiatorType === 'img');
                return {encoded: images.reduce((s, e) => s + e.encodedBodySize, 0),
                        transfer: images.reduce((s, e) => s + e.transferSize, 0), count: images.length};""");
        return new Load(hero, ((Number) lcp.get("ms")).doubleValue(), hero.equals(lcp.get("url")),
                ((Number) bytes.get("encoded")).longValue(), ((Number) bytes.get("transfer")).longValue(),
                ((Number) bytes.get("count")).intValue());
    }

    /** Until no image request has started for a second: the lazy thumbnails in view are fetched too. */
    private static void awaitQuietNetwork(GalleryPage gallery) {
        String count = "return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'img' && e.responseEnd > 0).length"
                + " + ':' + performance.getEntriesByType('resource').length";
        String last = "";
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < 1_000_000_000L) {
            String now = (String) gallery.js(count);
            if (!now.equals(last)) {
                last = now;
                quietSince = System.nanoTime();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void print(Map<String, List<Load>> loads, int rounds) {
        var out = new StringBuilder();
        out.append("Medians of ").append(rounds).append(" loads each (cache cleared before every load; range in brackets):\n\n");
        out.append("| viewport | page | LCP | image bytes (encoded body) | image bytes (transfer) | images | LCP is the first hero |\n");
        out.append("|---|---|---:|---:|---:|---:|---|\n");
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (var entry : loads.entrySet()) {
            String[] key = entry.getKey().split("\\|");
            List<Load> list = entry.getValue();
            double[] lcp = list.stream().mapToDouble(Load::lcpMs).sorted().toArray();
            double[] encoded = list.stream().mapToDouble(Load::encodedBytes).sorted().toArray();
            double[] transfer = list.stream().mapToDouble(Load::transferBytes).sorted().toArray();
            double[] images = list.stream().mapToDouble(Load::images).sorted().toArray();
            long heroes = list.stream().filter(Load::lcpIsHero).count();
            medians.put(entry.getKey(), new double[] {median(lcp), median(encoded)});
            out.append(String.format(Locale.ROOT, "| %s | %s | %.0f ms (%.0f–%.0f) | %,.0f (%,.0f–%,.0f) | %,.0f | %.0f | %d of %d |%n",
                    key[0], key[1], median(lcp), lcp[0], lcp[lcp.length - 1], median(encoded), encoded[0],
                    encoded[encoded.length - 1], median(transfer), median(images), heroes, list.size()));
        }
        out.append('\n');
        for (var viewport : VIEWPORTS) {
            var values = medians.entrySet().stream().filter(e -> e.getKey().startsWith(viewport + "|")).map(Map.Entry::getValue)
                    .toList();
            out.append(String.format(Locale.ROOT, "- %s: responsive/fixed image bytes %.3f, LCP %+.0f ms%n", viewport,
                    values.get(0)[1] / values.get(1)[1], values.get(0)[0] - values.get(1)[0]));
        }
        System.out.print(out);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
