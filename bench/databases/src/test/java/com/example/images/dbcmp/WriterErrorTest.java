package com.example.images.dbcmp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriterErrorTest {

    @Test
    void names_the_exception_rather_than_the_last_stack_frame() {
        String log = """
                INFO starting
                Exception in thread "DiskWriter" java.lang.OutOfMemoryError: Java heap space
                \tat org.apache.cassandra.io.sstable.SSTableSimpleUnsortedWriter$DiskWriter.run(SSTableSimpleUnsortedWriter.java:230)
                """;
        assertThat(CassandraStore.firstError(log)).contains("OutOfMemoryError");
    }

    @Test
    void falls_back_to_the_last_line_without_an_exception() {
        assertThat(CassandraStore.firstError("one\n\ntwo\n")).isEqualTo("two");
        assertThat(CassandraStore.firstError("")).isEqualTo("(no output)");
    }
}
