package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import static com.example.images.support.Shell.run;

import com.example.images.support.Shell.Result;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * bench/media/run.sh: its bound runs VipsCliProcessor's own command lines, so it must hold the
 * processor's options; and its arguments are checked before it starts anything.
 */
class MediaBenchScriptTest {

    private static final Path SCRIPT = Path.of("bench/media/run.sh");

    @Test
    void the_bound_makes_renditions_with_the_processors_exact_options() throws Exception {
        String script = Files.readString(SCRIPT);

        assertThat(script)
                .contains("AVIF='" + constant("AVIF_OPTIONS") + "'")
                .contains("WEBP='" + constant("WEBP_OPTIONS") + "'")
                .contains("JPEG='" + constant("JPEG_OPTIONS") + "'")
                .contains("--height " + constant("ANY_HEIGHT") + " --size down --export-profile srgb --fail-on error")
                .contains("tiny.png " + constant("TINY") + " --height " + constant("TINY"))
                .contains("processes_per_image=" + ProcessingSettings.defaults().processesPerImage() + "\n");
    }

    @Test
    void parses_as_bash() throws Exception {
        Result result = run("bash", "-n", SCRIPT.toString());

        assertThat(result.status()).as(result.output()).isZero();
    }

    @Test
    void help_describes_the_options_and_exits_zero() throws Exception {
        Result result = run("bash", SCRIPT.toString(), "--help");

        assertThat(result.status()).isZero();
        assertThat(result.output()).contains("--images N", "--duration S", "--rounds R", "--out FILE");
    }

    @Test
    void bad_arguments_stop_it_before_anything_starts() throws Exception {
        Result unknown = run("bash", SCRIPT.toString(), "--imagez", "2");
        Result zero = run("bash", SCRIPT.toString(), "--images", "0");
        Result word = run("bash", SCRIPT.toString(), "--duration", "ten");
        Result bare = run("bash", SCRIPT.toString(), "--rounds", "2", "--images");

        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown option --imagez");
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.output()).contains("expected a positive whole number, got '0'");
        assertThat(word.status()).isEqualTo(2);
        assertThat(word.output()).contains("got 'ten'");
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.output()).contains("--images needs a value");
    }

    private static String constant(String name) throws ReflectiveOperationException {
        Field field = VipsCliProcessor.class.getDeclaredField(name);
        field.setAccessible(true);
        return String.valueOf(field.get(null));
    }
}
