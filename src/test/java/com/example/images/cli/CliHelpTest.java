package com.example.images.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CliHelpTest {

    @Test
    void serve_help_lists_every_option_with_its_environment_variable_and_default() {
        var out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("serve", "--help");

        assertThat(code).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("--port", "env: IMAGES_PORT", "default: 8080",
                "--database-url", "env: DATABASE_URL",
                "--data-dir", "default: ./data",
                "--no-demo-data", "--image-base-url", "--db-pool-size", "--db-timeout-ms",
                "--api-tokens-file", "env: IMAGES_API_TOKENS_FILE", "IMAGES_API_TOKENS", "default: none");
    }

    @Test
    void bad_port_is_a_usage_error_with_a_one_line_message() {
        var err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("serve", "--port", "70000");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("error: --port must be between 1 and 65535, got 70000");
    }
}
