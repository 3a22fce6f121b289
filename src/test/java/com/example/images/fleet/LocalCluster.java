package com.example.images.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** {@code bin/cluster} as the fleet tests run it: one run directory, its output appended to {@code cluster.out} there. */
final class LocalCluster {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    private LocalCluster() {
    }

    /** Runs {@code bin/cluster ARGS --run-dir RUN} with the environment's variables added; it must succeed within 5 minutes. */
    static void run(Path run, Map<String, String> environment, String... args) throws Exception {
        var command = new ArrayList<>(List.of(ROOT.resolve("bin/cluster").toString()));
        command.addAll(Arrays.asList(args));
        command.addAll(List.of("--run-dir", run.toString()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("cluster.out").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("bin/cluster %s finished", args[0]).isTrue();
        assertThat(process.exitValue()).as("bin/cluster %s exit status; see %s", String.join(" ", args),
                run.resolve("cluster.out")).isZero();
    }

    /** Stops the fleet and deletes its database files, the bulk of a run; results and logs stay. */
    static void down(Path run, Map<String, String> environment) throws Exception {
        run(run, environment, "down");
        try (var files = Files.walk(run.resolve("data"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The first of {@code count} consecutive free ports, for the instances. */
    static int freeRange(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            boolean free = true;
            for (int p = base; p < base + count && free; p++) {
                try (var socket = new ServerSocket(p)) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }
}
