package com.example.images.media;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.fail;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;
import com.example.images.db.DatabaseUrl;
import com.example.images.support.Api;
import com.example.images.support.Http;
import com.example.images.support.ScratchDatabases;
import com.example.images.support.TestApp;
import com.example.images.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A service of its own for upload tests: its own database and file store, the worker on (the
 * shared test service has it off), accepting {@link TestApp#TOKEN}.
 */
final class UploadService implements AutoCloseable {

    private final Application app;
    private final DatabaseUrl db;
    private final Path mediaRoot;

    private UploadService(Application app, DatabaseUrl db, Path mediaRoot) {
        this.app = app;
        this.db = db;
        this.mediaRoot = mediaRoot;
    }

    /** Started with an upload cap of {@code maxUploadBytes}. */
    static UploadService start(long maxUploadBytes) throws Exception {
        DatabaseUrl db = ScratchDatabases.create();
        var settings = Settings.defaults(TestDatabase.tempDir("images-upload")).withDatabase(db)
                .withDemoData(false).withApiTokens(ApiTokens.of(TestApp.TOKEN));
        var m = settings.media();
        // A per-image limit far past what the tests' images take, however busy the machine.
        settings = settings.withMedia(new Settings.MediaSettings(m.directory(), m.s3(), m.s3Endpoint(), maxUploadBytes,
                m.maxImagePixels(), m.workers(), Duration.ofMinutes(10), Duration.ofMinutes(12)));
        return new UploadService(Application.start(settings), db, settings.mediaDirectory());
    }

    Api api() {
        return new Api(http(), TestApp.TOKEN);
    }

    Http http() {
        return new Http("http://127.0.0.1:" + app.port());
    }

    int port() {
        return app.port();
    }

    Path mediaRoot() {
        return mediaRoot;
    }

    Connection connect() throws SQLException {
        return ScratchDatabases.connect(db);
    }

    Leftovers leftovers() {
        return new Leftovers(this::connect, mediaRoot);
    }

    /** The image once it is no longer 'processing' (the merchant's view of it), within 10 min. */
    JsonNode awaitProcessed(long productId, long imageId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode current = json(api().get("/api/products/" + productId + "/images/" + imageId));
            if (!current.get("status").asText().equals("processing")) {
                return current;
            }
            Thread.sleep(200);
        }
        return fail("image %d of product %d is still processing after 10 min", imageId, productId);
    }

    @Override
    public void close() {
        app.close();
    }
}
