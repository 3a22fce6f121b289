package com.example.images.web;

import static com.example.images.support.Shell.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Shell.Result;
import org.junit.jupiter.api.Test;

/** bench/widget/run.sh checks its arguments before it builds or starts anything. */
class WidgetBenchScriptTest {

    private static final String SCRIPT = "bench/widget/run.sh";

    @Test
    void help_describes_the_options_and_exits_zero() throws Exception {
        Result result = run("bash", SCRIPT, "--help");

        assertThat(result.status()).isZero();
        assertThat(result.output()).contains("--rounds R", "--out FILE", "--screenshot FILE", "375 px with", "1280 px");
    }

    @Test
    void bad_arguments_stop_it_before_anything_starts() throws Exception {
        Result unknown = run("bash", SCRIPT, "--round", "2");
        Result zero = run("bash", SCRIPT, "--rounds", "0");
        Result bare = run("bash", SCRIPT, "--port");

        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown option --round");
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.output()).contains("expected a positive whole number, got '0'");
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.output()).contains("--port needs a value");
    }
}
