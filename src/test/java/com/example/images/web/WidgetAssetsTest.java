package com.example.images.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Http;
import com.example.images.support.TestApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The widget's files as the service serves them: weight, and no way for data to become HTML. */
class WidgetAssetsTest {

    /** The budget of issue 21 (issue 7 set 12,000 before the placeholder decoder): the widget's JS and CSS together, uncompressed. */
    static final int BUDGET_BYTES = 16_000;

    private final Http http = TestApp.http();

    @Test
    void widget_js_and_css_together_stay_within_16_kb_uncompressed() throws Exception {
        var js = http.get("/assets/gallery.js");
        var css = http.get("/assets/page.css");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Encoding")).isEmpty();

        int jsBytes = js.body().getBytes(StandardCharsets.UTF_8).length;
        int cssBytes = css.body().getBytes(StandardCharsets.UTF_8).length;
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "widget-weight.txt"),
                "gallery.js " + jsBytes + " B, page.css " + cssBytes + " B, total " + (jsBytes + cssBytes) + " B\n");
        assertThat(jsBytes + cssBytes).as("gallery.js %d B + page.css %d B", jsBytes, cssBytes).isLessThanOrEqualTo(BUDGET_BYTES);
    }

    @Test
    void widget_never_parses_data_as_html_and_names_no_other_host() {
        String js = http.get("/assets/gallery.js").body();

        assertThat(js).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "DOMParser", "createContextualFragment");
        // The only absolute URL in code is the SVG namespace inside the data: URI of the broken-image picture.
        String code = js.replaceAll("(?m)^\\s*//.*$", "");
        var urls = Pattern.compile("https?://[^'\"`\\s)]+").matcher(code).results().map(m -> m.group()).distinct().toList();
        assertThat(urls).containsExactly("http://www.w3.org/2000/svg");
    }
}
