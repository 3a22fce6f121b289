package com.example.images.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloserTest {

    @Test
    void closes_in_reverse_order_past_a_failure_and_only_once() {
        List<String> closed = new ArrayList<>();
        var closer = new Closer();
        closer.add(() -> closed.add("database"));
        closer.add(() -> {
            closed.add("pool");
            throw new IllegalStateException("pool would not close");
        });
        closer.add(() -> closed.add("batcher"));

        closer.close();
        closer.close();

        assertThat(closed).containsExactly("batcher", "pool", "database");
    }
}
