package com.example.images.media;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.db.DatabaseUrl;
import com.example.images.support.Api;
import com.example.images.support.Http;
import com.example.images.support.ScratchDatabases;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A real service whose libvips cannot be found: it starts and serves (the demo too, without photos), and only uploads are off. */
class WithoutLibvipsTest {

    @TempDir
    Path dir;

    @Test
    void the_service_says_once_that_uploads_are_off_answers_them_503_and_serves_everything_else() throws Exception {
        DatabaseUrl db = ScratchDatabases.create();
        var settings = Settings.defaults(TestDatabase.tempDir("images-no-vips")).withDatabase(db).withDemoData(true)
                .withApiTokens(ApiTokens.of(TestApp.TOKEN));
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        Application app;
        try {
            app = Application.start(settings, System.out,
                    processing -> new VipsCliProcessor(processing, "/nonexistent/vips", "/nonexistent/vipsheader"));
        } finally {
            root.detachAppender(appender);
        }
        try (app) {
            var api = new Api(new Http("http://127.0.0.1:" + app.port()), TestApp.TOKEN);

            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .filteredOn(line -> line.toLowerCase(java.util.Locale.ROOT).contains("libvips"))
                    .containsExactly("uploads are off until libvips is installed (apt-get install libvips-tools)");

            assertThat(json(api.get("/api/products/1/images")).get("images")).as("the demo as without photos")
                    .isNotEmpty().allSatisfy(image -> assertThat(image.get("url").asText()).doesNotStartWith("/media/"));
            long id = api.createProduct("No libvips", 2).get("productId").asLong();
            assertThat(api.http().get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(json(api.get("/api/products/" + id + "/images")).get("images")).hasSize(2);
            assertThat(api.http().get("/products/" + id).statusCode()).isEqualTo(200);
            var byUrl = api.write("POST", "/api/products/" + id + "/images",
                    "{\"url\": \"https://cdn.example.com/a.jpg\", \"thumbnailUrl\": \"https://cdn.example.com/a-t.jpg\"}");
            assertThat(byUrl.statusCode()).as(byUrl.body()).isEqualTo(201);

            byte[] jpeg = Files.readAllBytes(TestImages.jpeg(dir, 412, 300));
            var upload = api.http().sendBytes("POST", "/api/products/" + id + "/images", jpeg,
                    "Authorization", "Bearer " + TestApp.TOKEN, "Content-Type", "image/jpeg");

            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(503);
            assertThat(upload.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(upload.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(json(upload).get("detail").asText())
                    .isEqualTo("uploads are off until libvips is installed (apt-get install libvips-tools)");
            new Leftovers(() -> ScratchDatabases.connect(db), settings.mediaDirectory()).assertNothingLeftBehind(id, 3, jpeg);
        }
    }
}
