package com.example.images.cli;

import com.example.images.seed.CatalogLoader;
import com.example.images.seed.CsvExporter;
import com.example.images.seed.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code images export-csv}: the catalog a seed with the same options loads, as CSV files for psql. */
@Command(name = "export-csv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write products.csv and images.csv (header row = column names) with the rows that "
                + "'seed' with the same options loads; see the README for loading them with psql \\copy."})
public final class ExportCsvCommand implements Callable<Integer> {

    @Mixin
    GeneratorOptions generator;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the two files; created if missing.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var exporter = new CsvExporter(generator.plan());
        long started = System.nanoTime();
        CatalogLoader.Counts counts;
        try (var progress = Progress.auto(spec.commandLine().getErr(), "export-csv")) {
            counts = exporter.export(out, progress);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        var stdout = spec.commandLine().getOut();
        stdout.println(String.format(Locale.ROOT, "exported %,d products and %,d images to %s in %s (%.1f s), %,.0f rows/s",
                counts.products(), counts.images(), out, Progress.clock(seconds), seconds,
                counts.rows() / Math.max(seconds, 1e-3)));
        stdout.flush();
        return ExitCodes.OK;
    }
}
