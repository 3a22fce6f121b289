package com.example.images.dbcmp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code bench/databases/run.sh --products N [options]}: the catalog into each store in turn, the
 * same workloads through each store's own Java client, results as Markdown on stdout (and
 * {@code --out}), plots into {@code --docs}.
 */
public final class Main {

    static final int OK = 0;
    static final int BAD_ARGUMENTS = 2;
    static final int FAILED = 1;

    private static final String USAGE = """
            usage: bench/databases/run.sh --products N [--random-seed 42] [--stores relational,document,cassandra]
                   [--duration-s 30] [--warmup-s 30] [--clients 1,8,64,64/8] [--writes 1000] [--verify 200]
                   [--pg-shared-buffers 2GB] [--cassandra-heap 2g] [--sstable-buffer-mib 128]
                   [--work-dir DIR] [--out FILE.md] [--docs DIR] [--keep]
            """;

    private Main() {
    }

    public static void main(String[] args) {
        Harness.Options options;
        Path out = null;
        Path docs = null;
        boolean keep = false;
        try {
            var a = new Args(args);
            long products = a.longValue("--products", -1);
            if (products < 1) {
                throw new IllegalArgumentException("--products must be at least 1");
            }
            var stores = Arrays.asList(a.value("--stores", "relational,document,cassandra").split(","));
            for (String s : stores) {
                if (!List.of("relational", "document", "cassandra").contains(s)) {
                    throw new IllegalArgumentException("--stores takes relational, document and cassandra, got " + s);
                }
            }
            String workDir = a.value("--work-dir", null);
            out = a.has("--out") ? Path.of(a.value("--out", null)) : null;
            docs = a.has("--docs") ? Path.of(a.value("--docs", null)) : null;
            keep = a.has("--keep");
            options = new Harness.Options(products, a.longValue("--random-seed", 42), stores,
                    Duration.ofSeconds(a.longValue("--duration-s", 30)), Duration.ofSeconds(a.longValue("--warmup-s", 30)),
                    Harness.Clients.parse(a.value("--clients", Harness.Clients.DEFAULT)),
                    (int) a.longValue("--writes", 1000), (int) a.longValue("--verify", 200),
                    a.value("--pg-shared-buffers", "2GB"), a.value("--cassandra-heap", "2g"),
                    (int) a.longValue("--sstable-buffer-mib", 128),
                    workDir != null ? Path.of(workDir) : Path.of(System.getProperty("java.io.tmpdir")));
            a.requireAllUsed();
            if (workDir == null) {
                options = options.withWorkDir(Files.createTempDirectory("dbcmp-"));
            }
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(BAD_ARGUMENTS);
            return;
        }
        int exit = OK;
        try {
            String command = "bench/databases/run.sh " + String.join(" ", args);
            var label = String.format("%,d products, %s", options.products(), LocalDate.now(ZoneOffset.UTC));
            Path outFile = out;
            Path docsDir = docs;
            var results = new Harness(options).run(command, partial -> write(partial, outFile, docsDir, label));
            System.out.print(Report.markdown(results));
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            e.printStackTrace();
            exit = FAILED;
        } finally {
            if (!keep) {
                delete(options.workDir());
            }
        }
        // Exits rather than returns: the driver's and zonky's threads would keep the JVM up.
        System.exit(exit);
    }

    /** The report so far into --out and its plots into --docs. */
    private static void write(Results results, Path out, Path docs, String label) {
        try {
            if (out != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, Report.markdown(results));
            }
            if (docs != null) {
                Report.plots(results, docs, label);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("warning: could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** --name value pairs and --flags. */
    private static final class Args {
        private final java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Args(String[] args) {
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + args[i]);
                }
                if (args[i].equals("--keep")) {
                    values.put(args[i], "");
                } else if (i + 1 < args.length) {
                    values.put(args[i], args[++i]);
                } else {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
            }
        }

        boolean has(String name) {
            used.add(name);
            return values.containsKey(name);
        }

        String value(String name, String fallback) {
            used.add(name);
            return values.getOrDefault(name, fallback);
        }

        long longValue(String name, long fallback) {
            String v = value(name, null);
            if (v == null) {
                return fallback;
            }
            try {
                return Long.parseLong(v.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " takes a whole number, got " + v);
            }
        }

        void requireAllUsed() {
            for (String name : values.keySet()) {
                if (!used.contains(name)) {
                    throw new IllegalArgumentException("unknown option " + name);
                }
            }
        }
    }
}
