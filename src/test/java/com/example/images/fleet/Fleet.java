package com.example.images.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Http;
import com.example.images.support.Ports;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fleet that {@code bin/cluster} runs for a test, in a run directory of its own, and the Gatling
 * load ({@code load/run.sh}) a test sends it while it breaks something.
 */
final class Fleet {

    static final Path ROOT = Path.of("").toAbsolutePath();

    /** One request as Gatling saw it. */
    record Result(long start, long end, String kind, long productId, int status, boolean retryAfter, String order) {
        long latency() {
            return end - start;
        }

        static Result parse(String line) {
            String[] f = line.split(",", -1);
            return new Result(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], Long.parseLong(f[3]),
                    Integer.parseInt(f[4]), Boolean.parseBoolean(f[5]), f[6]);
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    final Path run;
    final String token = UUID.randomUUID().toString();
    /** The variables {@code bin/cluster} and the instances it starts get, beyond the token. */
    final Map<String, String> environment = new HashMap<>();
    final int nginxPort;
    final Http http;
    private Path writeFeed;

    Fleet(String name) throws IOException {
        run = ROOT.resolve("target/" + name + "/" + System.currentTimeMillis());
        Files.createDirectories(run);
        nginxPort = Ports.free();
        http = new Http("http://127.0.0.1:" + nginxPort);
    }

    /** Runs {@code bin/cluster} with {@code args} on this fleet's run directory; it must succeed. */
    void cluster(String... args) throws Exception {
        var command = new ArrayList<>(List.of(ROOT.resolve("bin/cluster").toString()));
        command.addAll(Arrays.asList(args));
        command.addAll(List.of("--run-dir", run.toString()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("cluster.out").toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("IMAGES_API_TOKENS", token);
        Process process = builder.start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("bin/cluster %s finished", args[0]).isTrue();
        assertThat(process.exitValue()).as("bin/cluster %s exit status; see %s", String.join(" ", args),
                run.resolve("cluster.out")).isZero();
    }

    /** Stops the fleet and deletes its database files, the bulk of a run; results and logs stay. */
    void down() throws Exception {
        cluster("down");
        try (var files = Files.walk(run.resolve("data"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Waits until {@code bin/cluster status} says everything is up and ready. */
    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        var builder = new ProcessBuilder(ROOT.resolve("bin/cluster").toString(), "status", "--run-dir", run.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        while (builder.start().waitFor() != 0) {
            assertThat(System.nanoTime()).as("every part of the fleet ready again").isLessThan(deadline);
            sleep(500);
        }
    }

    /**
     * Gatling at {@code rate} req/s for {@code seconds} (reads of ids 1..1000, and reorder writes of
     * the products {@link #prepareWrites} made, if any), with {@code fault} run once it started.
     */
    List<Result> load(String name, int rate, int seconds, double writeRatio, ThrowingRunnable fault) throws Exception {
        Path out = run.resolve(name);
        var command = new ArrayList<>(List.of(ROOT.resolve("load/run.sh").toString(),
                "--base-url", "http://127.0.0.1:" + nginxPort, "--rate", String.valueOf(rate),
                "--duration", String.valueOf(seconds), "--id-min", "1", "--id-max", "1000",
                "--ok-statuses", "200,201,204,304,503", "--out", out.toString()));
        if (writeFeed != null && writeRatio > 0) {
            command.addAll(List.of("--write-ratio", String.valueOf(writeRatio), "--write-feed", writeFeed.toString()));
        }
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(run.resolve(name + ".out").toFile());
        builder.environment().put("IMAGES_LOAD_TOKEN", token);
        Process gatling = builder.start();
        awaitFile(out.resolve("gatling.log"), "Simulation images.load.ConstantRateSimulation started");
        fault.run();
        assertThat(gatling.waitFor(seconds + 300L, TimeUnit.SECONDS)).as("load run finished").isTrue();
        Path file = out.resolve("results.csv");
        assertThat(file).as("per-request results of " + name).exists();
        List<Result> results = Files.readAllLines(file).stream().skip(1).map(Result::parse).toList();
        System.out.printf("%s: %s%n", name, Files.readString(out.resolve("summary.txt")).replace('\n', ';'));
        assertThat(results).hasSizeGreaterThan(rate * seconds / 2);
        return results;
    }

    /** Fault times and measurements, next to the scenario's results. */
    void event(String scenario, String line) throws IOException {
        Files.createDirectories(run.resolve(scenario));
        Files.writeString(run.resolve(scenario).resolve("events.txt"), line + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Creates {@code products} products of 4 images each, which the load's writes reorder. */
    void prepareWrites(int products) throws IOException {
        var lines = new ArrayList<String>();
        for (int p = 0; p < products; p++) {
            var images = new ArrayList<String>();
            for (int i = 0; i < 4; i++) {
                images.add("{\"url\":\"https://cdn.example.com/load/" + p + "/" + i + ".jpg\",\"alt\":\"load " + i + "\"}");
            }
            var created = http.send("POST", "/api/products",
                    "{\"name\":\"Load product " + p + "\",\"images\":[" + String.join(",", images) + "]}",
                    "Authorization", "Bearer " + token, "Content-Type", "application/json");
            assertThat(created.statusCode()).as("POST /api/products: %s", created.body()).isEqualTo(201);
            long productId = Long.parseLong(firstGroup("\"productId\"\\s*:\\s*(\\d+)", created.body(),
                    firstGroup("\"id\"\\s*:\\s*(\\d+)", created.body(), "0")));
            lines.add(productId + " " + String.join(" ", imageIds(created.body())));
        }
        writeFeed = run.resolve("write-feed.txt");
        Files.write(writeFeed, lines);
    }

    /** The image ids of a gallery JSON, in gallery order. */
    static List<String> imageIds(String galleryJson) {
        int images = galleryJson.indexOf("\"images\"");
        Matcher m = Pattern.compile("\\{\"id\"\\s*:\\s*(\\d+)").matcher(galleryJson.substring(images));
        var ids = new ArrayList<String>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    static String firstGroup(String regex, String text, String otherwise) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }

    static void awaitFile(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!Files.exists(file) || !Files.readString(file).contains(text)) {
            assertThat(System.nanoTime()).as("Gatling started; see %s", file).isLessThan(deadline);
            sleep(100);
        }
    }

    /** The first of {@code count} consecutive free ports. */
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

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
