package com.example.images.cli;

import com.example.images.db.DatabaseUrl;
import com.example.images.db.EmbeddedDatabase;
import com.example.images.seed.CatalogLoader;
import com.example.images.seed.Progress;
import com.example.images.seed.Seeder;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code images seed}: generate a catalog and bulk-load it with COPY. */
@Command(name = "seed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate N products with 1-10 images each and load them with COPY, then build the "
                + "indexes and ANALYZE. Refuses a database that holds products unless --replace is given; "
                + "a catalog left unfinished by an interrupted seed is replaced without it."})
public final class SeedCommand implements Callable<Integer> {

    @Mixin
    GeneratorOptions generator;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--replace", description = "Replace the products (and their images) the database holds.")
    boolean replace;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "binary",
            description = "COPY format: binary or text; binary measured faster (docs/SEED.md). (default: ${DEFAULT-VALUE})")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        var seeder = new Seeder(generator.plan(), format, replace);
        Optional<DatabaseUrl> url = database.url();
        var err = spec.commandLine().getErr();
        CatalogLoader.Counts counts;
        try (var progress = Progress.auto(err, "seed")) {
            if (url.isPresent()) {
                counts = seeder.run(url.get(), progress);
            } else {
                progress.phase("starting the embedded PostgreSQL in " + database.dataDir());
                try (var embedded = EmbeddedDatabase.start(database.dataDir(), 0)) {
                    // Ctrl-C must not leave the server running: stopping it rolls the load back.
                    var stop = new Thread(embedded::close, "stop-embedded-postgres");
                    Runtime.getRuntime().addShutdownHook(stop);
                    counts = seeder.run(embedded.url(), progress);
                    progress.phase("stopping the embedded PostgreSQL");
                    Runtime.getRuntime().removeShutdownHook(stop);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        var out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT,
                "seeded %,d products and %,d images (%,d rows) in %s (%.1f s), %,.0f rows/s",
                counts.products(), counts.images(), counts.rows(),
                Progress.clock(seconds), seconds, counts.rows() / Math.max(seconds, 1e-3)));
        out.flush();
        return ExitCodes.OK;
    }
}
