package com.example.images.cli;

import com.example.images.db.EmbeddedDatabase;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code images db}: the embedded PostgreSQL on its own, in the foreground until SIGTERM, so
 * that several {@code serve} instances can share one database ({@code bin/cluster} uses it).
 */
@Command(name = "db", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the embedded PostgreSQL 17 in the foreground until SIGTERM, for instances to share "
                + "with --database-url postgres://postgres@127.0.0.1:PORT/postgres.")
public final class DbCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:IMAGES_DATA_DIR:-./data}",
            description = "Data directory; the same as serve's, so both see one catalog. "
                    + "(env: IMAGES_DATA_DIR, default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:IMAGES_DB_PORT:-5432}",
            description = "Port on 127.0.0.1. (env: IMAGES_DB_PORT, default: ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, got " + port);
        }
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, port);
        spec.commandLine().getOut().printf("PostgreSQL ready: postgres://postgres@127.0.0.1:%d/postgres (data in %s)%n",
                database.port(), dataDir.resolve("postgres").toAbsolutePath());
        spec.commandLine().getOut().flush();
        UntilStopped.await(database);
        return ExitCodes.OK;
    }
}
