package com.example.images.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Cli;
import com.example.images.support.Ports;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SeedCliTest {

    @Test
    void zero_products_is_a_usage_error() {
        Cli.Run run = Cli.run("seed", "--products", "0", "--database-url", "postgres://localhost/x");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).isEqualTo("error: --products must be between 1 and 1000000000, got 0");
    }

    @Test
    void min_images_above_max_images_is_a_usage_error() {
        Cli.Run run = Cli.run("export-csv", "--products", "5", "--min-images", "6", "--max-images", "3", "--out", "x");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).isEqualTo("error: --min-images (6) must not be greater than --max-images (3)");
    }

    @Test
    void a_missing_option_is_a_one_line_usage_error() {
        Cli.Run run = Cli.run("seed", "--database-url", "postgres://localhost/x");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).isEqualTo("error: Missing required option: '--products=N' (see 'images seed --help')");
    }

    @Test
    void a_url_that_is_not_postgres_is_a_usage_error() {
        Cli.Run run = Cli.run("seed", "--products", "5", "--database-url", "mysql://localhost/x");

        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).isEqualTo(
                "error: database URL must start with postgres://, postgresql:// or jdbc:postgresql:, got 'mysql://localhost/x'");
    }

    @Test
    void an_unreachable_server_fails_with_one_line_naming_it() throws IOException {
        int port = Ports.free();

        Cli.Run run = Cli.run("seed", "--products", "5", "--database-url", "postgres://u:secret@127.0.0.1:" + port + "/catalog");

        assertThat(run.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err().strip()).startsWith("error: cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:" + port
                + "/catalog: Connection to 127.0.0.1:" + port + " refused").doesNotContain("secret");
    }

    @Test
    void seed_help_lists_its_options() {
        Cli.Run run = Cli.run("seed", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("--products", "--min-images", "--max-images", "--random-seed", "--jobs",
                "--image-base-url", "--replace", "--database-url", "--data-dir", "--format");
    }
}
