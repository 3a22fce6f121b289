package com.example.images.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lib/cds.sh with the built jar and a real JVM, started as bin/images starts one (the
 * launcher's shell execs the JVM, so its pid owns the files): the first start records the
 * classes it loads, the next one has them archived in the background by a JVM of their own, the
 * one after maps the archive, and a newer jar discards both.
 */
class ClassArchiveIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void the_first_start_records_its_classes_the_next_archives_them_apart_and_maps_them_and_a_new_jar_starts_over()
            throws Exception {
        Path jar = Files.copy(ROOT.resolve("target/images.jar"), dir.resolve("images.jar"));
        Path archive = dir.resolve("images-serve.jsa");

        Start first = start(jar);
        assertThat(first.code()).as(first.output()).isZero();
        assertThat(first.options()).singleElement().asString()
                .isEqualTo("-XX:DumpLoadedClassList=" + archive + ".classes." + first.pid());
        Path recorded = Path.of(archive + ".classes." + first.pid());
        assertThat(Files.readAllLines(recorded)).as("classes the first JVM loaded")
                .anyMatch(line -> line.startsWith("picocli/CommandLine "))
                .anyMatch(line -> line.startsWith("com/example/images/cli/Main "));
        assertThat(archive).doesNotExist();

        Start second = start(jar);
        assertThat(second.code()).as(second.output()).isZero();
        assertThat(second.options()).as("this start neither records nor waits for the archive").isEmpty();
        awaitNoDump();
        assertThat(files()).as("the list, archived apart and consumed").containsExactly(archive);
        assertThat(archive).isNotEmptyFile();

        // -Xshare:on makes the JVM fail if it cannot map the archive it is given. JDK 24 and later
        // also link the archived classes ahead of time; older ones know no "aot" log tag.
        boolean linking = Runtime.version().feature() >= 24;
        Start third = linking ? start(jar, "-Xshare:on", "-Xlog:aot=info") : start(jar, "-Xshare:on");
        assertThat(third.code()).as(third.output()).isZero();
        assertThat(third.options()).contains("-XX:SharedArchiveFile=" + archive);
        if (linking) {
            assertThat(third.output()).as("JDK 24 and later: the classes were also linked ahead of time")
                    .contains("Using AOT-linked classes: true");
        }

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        Start rebuilt = start(jar);
        assertThat(rebuilt.code()).as(rebuilt.output()).isZero();
        assertThat(rebuilt.options()).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
        assertThat(archive).as("an archive older than the jar").doesNotExist();
    }

    @Test
    void before_start_archives_the_recorded_classes_before_the_second_start_which_maps_them() throws Exception {
        Path jar = Files.copy(ROOT.resolve("target/images.jar"), dir.resolve("images.jar"));
        Path archive = dir.resolve("images-serve.jsa");
        Start first = start(jar);
        assertThat(first.options()).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");

        Start second = start(Map.of("IMAGES_CDS_DUMP", "before-start"), jar, "-Xshare:on");

        assertThat(second.code()).as(second.output()).isZero();
        assertThat(second.options()).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(files()).containsExactly(archive);
    }

    @Test
    void a_list_that_no_jvm_accepts_leaves_no_archive_and_the_next_start_records_anew() throws Exception {
        Path jar = Files.copy(ROOT.resolve("target/images.jar"), dir.resolve("images.jar"));
        Files.writeString(dir.resolve("images-serve.jsa.classes.999999999"), "@lambda-proxy broken\n");

        Start start = start(jar);
        awaitNoDump();

        assertThat(start.code()).as(start.output()).isZero();
        assertThat(files()).as("no archive, and the list is gone").isEmpty();
        Start next = start(jar);
        assertThat(next.options()).singleElement().asString()
                .isEqualTo("-XX:DumpLoadedClassList=" + dir.resolve("images-serve.jsa.classes." + next.pid()));
    }

    /** The dump runs in the background, claiming the list as images-serve.jsa.dumping.PID while it works. */
    private void awaitNoDump() throws Exception {
        for (int i = 0; i < 1200 && files().stream().anyMatch(file -> file.toString().contains(".dumping.")); i++) {
            Thread.sleep(100);
        }
        assertThat(files()).as("the dump ended within 2 minutes").noneMatch(file -> file.toString().contains(".dumping."));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().startsWith("images-serve.jsa")).toList();
        }
    }

    /** One start of `images --help` the way bin/images launches `serve`, with the options cds.sh chose. */
    private Start start(Path jar, String... extra) throws Exception {
        return start(Map.of(), jar, extra);
    }

    private Start start(Map<String, String> env, Path jar, String... extra) throws Exception {
        String script = String.join("\n",
                ". \"$ROOT/bin/lib/cds.sh\"",
                "cds_options \"$JAR\" $$",
                "echo \"pid $$\"",
                "printf 'option %s\\n' \"${cds[@]}\"",
                "exec \"$JAVA_HOME/bin/java\" \"${cds[@]}\" \"$@\" -jar \"$JAR\" --help");
        List<String> command = Stream.concat(Stream.of("bash", "-c", script, "launcher"), Stream.of(extra)).toList();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ROOT", ROOT.toString());
        builder.environment().put("JAR", jar.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("IMAGES_CDS_DIR", dir.toString());
        builder.environment().put("IMAGES_CDS_DUMP_DELAY", "0");
        builder.environment().remove("IMAGES_CDS");
        builder.environment().remove("IMAGES_CDS_DUMP");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = output.lines().toList();
        String pid = lines.stream().filter(line -> line.startsWith("pid ")).findFirst().orElseThrow().substring(4);
        List<String> options = lines.stream().filter(line -> line.startsWith("option ")).map(line -> line.substring(7))
                .filter(option -> !option.isEmpty()) // printf's one line for no options
                .toList();
        return new Start(process.exitValue(), pid, options, output);
    }

    private record Start(int code, String pid, List<String> options, String output) {
    }
}
