package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest {

    @Test
    void the_embedded_server_flushes_every_commit_to_disk_before_acknowledging_it() throws Exception {
        try (Connection c = TestDatabase.shared().dataSource().getConnection();
             Statement st = c.createStatement()) {
            assertThat(show(st, "fsync")).isEqualTo("on");
            assertThat(show(st, "synchronous_commit")).isEqualTo("on");
            assertThat(show(st, "full_page_writes")).isEqualTo("on");
        }
    }

    private static String show(Statement st, String setting) throws Exception {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
