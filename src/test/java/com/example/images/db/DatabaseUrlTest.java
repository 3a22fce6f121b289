package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void postgres_url_becomes_jdbc_with_credentials_apart() {
        var url = DatabaseUrl.parse("postgres://app:s%40cret@db.internal:6543/catalog?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/catalog?sslmode=require");
        assertThat(url.user()).hasValue("app");
        assertThat(url.password()).hasValue("s@cret");
        assertThat(url.display()).doesNotContain("s@cret").doesNotContain("s%40cret");
    }

    @Test
    void postgresql_scheme_and_default_port_and_database() {
        var url = DatabaseUrl.parse("postgresql://localhost");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
        assertThat(url.user()).isEmpty();
    }

    @Test
    void jdbc_url_is_kept_as_it_is() {
        var url = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/images?user=u&password=p");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/images?user=u&password=p");
        assertThat(url.display()).doesNotContain("password=p");
    }

    @Test
    void other_schemes_are_rejected_with_a_clear_message() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://localhost/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgres://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres:///nohost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no host");
    }
}
