package com.example.images.dbcmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientsTest {

    @Test
    void a_list_gives_each_client_its_own_connection_unless_it_names_fewer() {
        assertThat(Harness.Clients.parse("1,8,64,64/8")).containsExactly(new Harness.Clients(1, 1),
                new Harness.Clients(8, 8), new Harness.Clients(64, 64), new Harness.Clients(64, 8));
        assertThat(new Harness.Clients(64, 8).pooled()).isTrue();
        assertThat(new Harness.Clients(64, 8)).hasToString("64 clients over 8 connections");
        assertThat(new Harness.Clients(1, 1)).hasToString("1 client");
    }

    @Test
    void more_connections_than_clients_or_a_malformed_item_is_refused() {
        assertThatThrownBy(() -> Harness.Clients.parse("8/64")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8 clients over 64 connections");
        assertThatThrownBy(() -> Harness.Clients.parse("8,x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got x");
        assertThatThrownBy(() -> Harness.Clients.parse("64/8/2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Harness.Clients.parse("0")).isInstanceOf(IllegalArgumentException.class);
    }
}
