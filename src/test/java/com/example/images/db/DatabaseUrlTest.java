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

    @Test
    void a_multi_host_postgres_url_lists_every_host_with_its_port() {
        var url = DatabaseUrl.parse("postgres://app:pw@db1:6000,db2,db3:6002/catalog?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:6000,db2:5432,db3:6002/catalog?sslmode=require");
        assertThat(url.user()).hasValue("app");
        assertThat(url.hosts()).isEqualTo(3);
        assertThat(url.replicated()).isTrue();
    }

    @Test
    void writes_go_to_the_primary_and_reads_prefer_replicas_spread_over_them() {
        var url = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/postgres?user=postgres&targetServerType=any");

        assertThat(url.primary().jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/postgres?user=postgres&targetServerType=primary");
        assertThat(url.replicas().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/postgres"
                + "?user=postgres&targetServerType=preferSecondary&loadBalanceHosts=true");
    }

    @Test
    void a_single_host_url_is_used_as_it_is_for_reads_and_writes() {
        var url = DatabaseUrl.parse("postgres://localhost:5432/images");

        assertThat(url.replicated()).isFalse();
        assertThat(url.primary()).isEqualTo(url);
        assertThat(url.replicas()).isEqualTo(url);
    }

    @Test
    void an_empty_host_in_a_list_is_rejected() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://db1:5432,,db2/images"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty host");
    }
}
