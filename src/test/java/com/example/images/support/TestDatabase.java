package com.example.images.support;

import com.example.images.db.Database;
import com.example.images.db.DatabaseUrl;
import com.example.images.db.EmbeddedDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** One embedded PostgreSQL for the whole test run, migrated once, stopped at JVM exit. */
public final class TestDatabase {

    private static TestDatabase instance;

    private final EmbeddedDatabase database;
    private final HikariDataSource dataSource;

    private TestDatabase(EmbeddedDatabase database) {
        this.database = database;
        Database.migrate(database.url());
        this.dataSource = Database.pool(database.url(), 4, Duration.ofSeconds(10), "tests");
    }

    public static synchronized TestDatabase shared() {
        if (instance == null) {
            instance = new TestDatabase(EmbeddedDatabase.start(tempDir("images-test-db"), 0));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                instance.dataSource.close();
                instance.database.close();
            }));
        }
        return instance;
    }

    public DatabaseUrl url() {
        return database.url();
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
