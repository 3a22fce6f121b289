package com.example.images.support;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.auth.ApiTokens;

/**
 * One running service for the whole test run, on the shared database and a free port, without
 * demo data, accepting {@link #TOKEN} for writes.
 */
public final class TestApp {

    /** The API token the shared service accepts. */
    public static final String TOKEN = "test-write-token-5f2c9a7e1b";

    private static Application app;
    private static Settings settings;

    private TestApp() {
    }

    public static synchronized Application shared() {
        if (app == null) {
            var db = TestDatabase.shared();
            settings = Settings.defaults(TestDatabase.tempDir("images-test-app"))
                    .withDatabase(db.url())
                    .withDemoData(false)
                    .withApiTokens(ApiTokens.of(TOKEN));
            // No worker: it would claim the jobs media tests queue on the shared database.
            settings = settings.withMedia(settings.media().withWorker(false));
            try {
                app = Application.start(settings);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the service under test", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(app::close));
        }
        return app;
    }

    /** The shared service's media store directory, for tests that put blobs to serve. */
    public static synchronized java.nio.file.Path mediaDirectory() {
        shared();
        return settings.mediaDirectory();
    }

    public static Http http() {
        return new Http("http://127.0.0.1:" + shared().port());
    }
}
