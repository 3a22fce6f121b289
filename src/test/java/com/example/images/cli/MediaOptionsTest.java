package com.example.images.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.app.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s media options: the store, the S3 endpoint and the upload limits, as settings. */
class MediaOptionsTest {

    private static Settings settings(String... args) {
        var command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void by_default_media_is_a_directory_under_the_data_dir_with_25_mib_uploads_of_50_mp() {
        Settings settings = settings("--data-dir=/srv/images");

        assertThat(settings.media().s3()).isEmpty();
        assertThat(settings.media().s3Endpoint()).isEmpty();
        assertThat(settings.mediaDirectory()).isEqualTo(Path.of("/srv/images/media"));
        assertThat(settings.media().maxUploadBytes()).isEqualTo(26_214_400L);
        assertThat(settings.media().maxImagePixels()).isEqualTo(50_000_000L);
        assertThat(settings.media().processing().maxImagePixels()).isEqualTo(50_000_000L);
    }

    @Test
    void a_directory_store_and_the_limits_are_taken_as_given() {
        Settings settings = settings("--media-store=/var/lib/images-media", "--max-upload-bytes=1048576",
                "--max-image-pixels=12000000");

        assertThat(settings.mediaDirectory()).isEqualTo(Path.of("/var/lib/images-media"));
        assertThat(settings.media().maxUploadBytes()).isEqualTo(1_048_576L);
        assertThat(settings.media().processing().maxImagePixels()).isEqualTo(12_000_000L);
    }

    @Test
    void an_s3_store_takes_its_bucket_prefix_and_endpoint() {
        Settings settings = settings("--media-store=s3://shop-media/images/v1", "--s3-endpoint=http://127.0.0.1:9000");

        assertThat(settings.media().s3()).hasValue(URI.create("s3://shop-media/images/v1"));
        assertThat(settings.media().s3Endpoint()).hasValue(URI.create("http://127.0.0.1:9000"));
        assertThat(settings.media().directory()).isEmpty();
    }

    @Test
    void a_store_that_is_neither_a_directory_nor_s3_is_refused_with_the_option_named() {
        assertThatThrownBy(() -> settings("--media-store=ftp://files.example.com/media"))
                .hasMessage("--media-store must be a directory or s3://bucket/prefix, got ftp://files.example.com/media");
        assertThatThrownBy(() -> settings("--media-store=s3:///no-bucket"))
                .hasMessage("--media-store must be a directory or s3://bucket/prefix, got s3:///no-bucket");
        assertThatThrownBy(() -> settings("--media-store=s3://bad bucket/x"))
                .hasMessage("--media-store must be a directory or s3://bucket/prefix, got s3://bad bucket/x");
    }

    @Test
    void an_s3_endpoint_must_be_http_and_go_with_an_s3_store() {
        assertThatThrownBy(() -> settings("--s3-endpoint=http://127.0.0.1:9000"))
                .hasMessage("--s3-endpoint must go with --media-store s3://bucket/prefix, got http://127.0.0.1:9000 "
                        + "with a directory store");
        assertThatThrownBy(() -> settings("--media-store=s3://shop-media", "--s3-endpoint=minio:9000"))
                .hasMessage("--s3-endpoint must be an http:// or https:// URI, got minio:9000");
    }

    @Test
    void upload_limits_out_of_range_are_usage_errors_with_one_line() {
        var err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("serve", "--max-upload-bytes", "0");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("error: --max-upload-bytes must be between 1 and 1073741824, got 0");
        assertThatThrownBy(() -> settings("--max-image-pixels=0"))
                .hasMessage("--max-image-pixels must be at least 1, got 0");
    }

    @Test
    void by_default_one_image_at_a_time_within_60_s_and_a_lease_two_minutes_longer() {
        Settings settings = settings();

        assertThat(settings.media().workers()).isEqualTo(1);
        assertThat(settings.media().worker()).isTrue();
        assertThat(settings.media().processing().timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.media().processing().concurrentImages()).isEqualTo(1);
        assertThat(settings.media().workerOptions().threads()).isEqualTo(1);
        assertThat(settings.media().workerOptions().lease()).isEqualTo(Duration.ofSeconds(180));
    }

    @Test
    void the_worker_flags_reach_the_processor_and_the_worker() {
        Settings settings = settings("--media-workers=3", "--media-timeout-ms=5000", "--media-lease-ms=9000");

        assertThat(settings.media().processing().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.media().processing().concurrentImages()).isEqualTo(3);
        assertThat(settings.media().workerOptions().threads()).isEqualTo(3);
        assertThat(settings.media().workerOptions().lease()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void the_default_lease_follows_the_timeout() {
        Settings settings = settings("--media-timeout-ms=10000");

        assertThat(settings.media().workerOptions().lease()).isEqualTo(Duration.ofMillis(130_000));
    }

    @Test
    void zero_workers_leave_the_queue_to_other_instances() {
        Settings settings = settings("--media-workers=0");

        assertThat(settings.media().worker()).isFalse();
        assertThat(settings.media().workerOptions().threads()).isZero();
    }

    @Test
    void a_lease_no_longer_than_the_timeout_is_refused_with_both_options_named() {
        assertThatThrownBy(() -> settings("--media-timeout-ms=10000", "--media-lease-ms=10000"))
                .hasMessage("--media-lease-ms must be between 10001 (longer than --media-timeout-ms) and 86400000, got 10000");
        assertThatThrownBy(() -> settings("--media-workers=65"))
                .hasMessage("--media-workers must be between 0 (this instance processes nothing) and 64, got 65");
        assertThatThrownBy(() -> settings("--media-timeout-ms=999"))
                .hasMessage("--media-timeout-ms must be between 1000 and 3600000, got 999");
    }
}
