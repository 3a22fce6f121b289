package com.example.images.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    private static final String A = "aaaaaaaaaaaaaaaa-1";
    private static final String B = "bbbbbbbbbbbbbbbb-2";
    private static final String C = "cccccccccccccccc-3";

    @Test
    void tokens_come_from_the_environment_and_the_file_together(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# deploy tokens\n\n  " + C + "  \n# " + "dddddddddddddddd-4" + "\n");

        ApiTokens tokens = ApiTokens.load(" " + A + " ,," + B, Optional.of(file));

        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.accepts(A)).isTrue();
        assertThat(tokens.accepts(B)).isTrue();
        assertThat(tokens.accepts(C)).isTrue();
        assertThat(tokens.accepts("dddddddddddddddd-4")).as("commented out").isFalse();
        assertThat(tokens.accepts(A + "x")).isFalse();
        assertThat(tokens.accepts(A.substring(1))).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
    }

    @Test
    void nothing_configured_is_empty() {
        assertThat(ApiTokens.load(null, Optional.empty()).isEmpty()).isTrue();
        assertThat(ApiTokens.load("  ", Optional.empty()).isEmpty()).isTrue();
    }

    @Test
    void a_short_or_malformed_token_is_refused_without_echoing_it() {
        assertThatThrownBy(() -> ApiTokens.load(A + ",short-secret", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IMAGES_API_TOKENS entry 2")
                .hasMessageContaining("at least 16")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> ApiTokens.load("has spaces inside it!!", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("spaces");
    }

    @Test
    void an_unreadable_or_empty_file_is_an_error(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "# nothing yet\n");

        assertThatThrownBy(() -> ApiTokens.load(null, Optional.of(dir.resolve("missing"))))
                .hasMessageContaining("--api-tokens-file").hasMessageContaining("cannot read");
        assertThatThrownBy(() -> ApiTokens.load(null, Optional.of(empty)))
                .hasMessageContaining("holds no token");
    }

    @Test
    void generated_tokens_are_long_random_and_valid() {
        String one = ApiTokens.generate();
        String two = ApiTokens.generate();

        assertThat(one).hasSize(43).isNotEqualTo(two);
        assertThat(ApiTokens.none().plus(one).accepts(one)).isTrue();
    }

    @Test
    void printing_the_tokens_shows_only_how_many() {
        assertThat(ApiTokens.of(A, B).toString()).isEqualTo("ApiTokens[2 configured]").doesNotContain(A);
    }
}
