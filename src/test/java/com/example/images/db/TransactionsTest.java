package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransactionsTest {

    @Test
    void a_connection_lost_inside_a_transaction_fails_as_database_unavailable() {
        try (var pool = Database.pool(TestDatabase.shared().url(), 1, Duration.ofSeconds(2), "transactions-test")) {
            var transactions = new Transactions(pool);

            assertThatThrownBy(() -> transactions.inTransaction(connection -> {
                terminate(backendPid(connection));
                try (Statement st = connection.createStatement()) {
                    st.execute("SELECT 1");
                }
                return null;
            })).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(SqlStates.isUnavailable(e)).as("a 503, not a 500: %s", e).isTrue());
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection other = TestDatabase.shared().dataSource().getConnection();
             Statement st = other.createStatement()) {
            st.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    }
}
