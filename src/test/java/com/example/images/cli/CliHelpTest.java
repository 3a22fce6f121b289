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
                "--api-tokens-file", "env: IMAGES_API_TOKENS_FILE", "IMAGES_API_TOKENS", "default: none",
                "--db-queue-timeout-ms", "env: IMAGES_DB_QUEUE_TIMEOUT_MS", "default: the --db-timeout-ms",
                "--db-readers", "env: IMAGES_DB_READERS, default: 2",
                "--shutdown-drain-delay-ms", "env: IMAGES_SHUTDOWN_DRAIN_DELAY_MS", "default: 1000",
                "--shutdown-timeout-ms", "env: IMAGES_SHUTDOWN_TIMEOUT_MS", "default: 10000",
                "--request-head-timeout-ms", "env: IMAGES_REQUEST_HEAD_TIMEOUT_MS", "default: 10000",
                "--allow-private-image-hosts", "env: IMAGES_ALLOW_PRIVATE_IMAGE_HOSTS=true, default: refused",
                "--media-store", "env: IMAGES_MEDIA_STORE, default: media in --data-dir",
                "--s3-endpoint", "env: IMAGES_S3_ENDPOINT, default: AWS S3",
                "--max-upload-bytes", "env: IMAGES_MAX_UPLOAD_BYTES, default: 26214400",
                "--max-image-pixels", "env: IMAGES_MAX_IMAGE_PIXELS, default: 50000000",
                "--media-workers", "env: IMAGES_MEDIA_WORKERS, default: 1",
                "--media-timeout-ms", "env: IMAGES_MEDIA_TIMEOUT_MS, default: 60000",
                "--media-lease-ms", "env: IMAGES_MEDIA_LEASE_MS, default: --media-timeout-ms + 120000");
    }

    @Test
    void db_help_names_its_data_directory_and_port_with_environment_variables_and_defaults() {
        var out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("db", "--help");

        assertThat(code).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("--data-dir", "env: IMAGES_DATA_DIR", "default: ./data",
                "--port", "env: IMAGES_DB_PORT", "default: 5432");
    }

    @Test
    void a_drain_delay_out_of_range_is_a_usage_error() {
        var err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("serve", "--shutdown-drain-delay-ms", "-1");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("error: --shutdown-drain-delay-ms must be between 0 and 60000, got -1");
    }

    @Test
    void bad_port_is_a_usage_error_with_a_one_line_message() {
        var err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("serve", "--port", "70000");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("error: --port must be between 0 (any free port) and 65535, got 70000");
    }

    @Test
    void no_gallery_readers_is_a_usage_error() {
        var err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("serve", "--db-readers", "0");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("error: --db-readers must be between 1 and 200, got 0");
    }

    @Test
    void a_pool_of_one_connection_is_a_usage_error_since_gallery_reads_keep_theirs() {
        var err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("serve", "--db-pool-size", "1");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("error: --db-pool-size must be between 2 and 200, got 1 "
                + "(gallery reads keep connections of their own, and writes need at least one more)");
    }
}
