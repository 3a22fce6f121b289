package com.example.images.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command, such as a bench script with bad arguments, and captures its exit status and output. */
public final class Shell {

    /** The exit status and what went to stdout and stderr, interleaved. */
    public record Result(int status, String output) {
    }

    private Shell() {
    }

    public static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
