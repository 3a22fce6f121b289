package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VipsMessageTest {

    @Test
    void a_failure_reason_names_files_and_warnings_without_paths_pids_or_clock_times() {
        String stderr = """
                (vips:48213): VIPS-WARNING **: 10:41:07.123: read gave 2 warnings
                (vips:48213): GLib-GObject-CRITICAL **: 10:41:07.125: g_object_unref: assertion failed

                vips2png: unable to read /var/tmp/images-upload-9f2c/original.bin
                jpegload: premature end of JPEG image
                """;

        String reason = VipsCliProcessor.clean(stderr, List.of("vips", "copy", "/var/tmp/images-upload-9f2c/original.bin",
                "/var/tmp/images-upload-9f2c/out.png[compression=6]"));

        assertThat(reason).isEqualTo("VIPS-WARNING: read gave 2 warnings; "
                + "GLib-GObject-CRITICAL: g_object_unref: assertion failed; vips2png: unable to read original.bin");
    }

    @Test
    void a_message_that_merely_looks_alike_in_the_middle_of_a_line_is_left_alone() {
        assertThat(VipsCliProcessor.clean("jpegload: (vips:1): is not a prefix here", List.of("vips")))
                .isEqualTo("jpegload: (vips:1): is not a prefix here");
        assertThat(VipsCliProcessor.clean("  \n", List.of("vips"))).isEqualTo("exit status without a message");
    }
}
