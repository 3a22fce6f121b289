package com.example.images.cli;

import com.example.images.db.DatabaseUrl;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the catalog lives: an external PostgreSQL, or the embedded one in a data directory. */
public final class DatabaseOptions {

    @Option(names = "--database-url", paramLabel = "URL",
            defaultValue = "${env:DATABASE_URL}",
            description = "External PostgreSQL, as postgres://user:pass@host:port/db or jdbc:postgresql://… "
                    + "Without it, an embedded PostgreSQL 17 runs in --data-dir. (env: DATABASE_URL, default: embedded)")
    String databaseUrl;

    @Option(names = "--data-dir", paramLabel = "DIR",
            defaultValue = "${env:IMAGES_DATA_DIR:-./data}",
            description = "Data directory of the embedded PostgreSQL. (env: IMAGES_DATA_DIR, default: ${DEFAULT-VALUE})")
    Path dataDir;

    public Optional<DatabaseUrl> url() {
        return databaseUrl == null || databaseUrl.isBlank() ? Optional.empty() : Optional.of(DatabaseUrl.parse(databaseUrl));
    }

    public Path dataDir() {
        return dataDir;
    }
}
