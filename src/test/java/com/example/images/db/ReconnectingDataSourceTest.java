package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.support.Await;
import com.example.images.support.Ports;
import com.example.images.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class ReconnectingDataSourceTest {

    private static final Duration RETRY = Duration.ofMillis(50);

    /** pgjdbc's data source, counting the attempts made through it. */
    private static final class Counted extends PGSimpleDataSource {
        final AtomicInteger attempts = new AtomicInteger();

        Counted(String url) {
            setURL(url);
            setConnectTimeout(2);
        }

        @Override
        public Connection getConnection() throws SQLException {
            attempts.incrementAndGet();
            return super.getConnection();
        }
    }

    @Test
    void a_connection_asked_for_while_the_database_is_down_comes_once_the_database_is_up() throws Exception {
        int port = Ports.free();
        var target = new Counted("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
        var source = new ReconnectingDataSource(target, "test", RETRY);

        CompletableFuture<Connection> asked = CompletableFuture.supplyAsync(() -> {
            try {
                return source.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the data source has been refused twice", Duration.ofSeconds(30), () -> target.attempts.get() >= 2);
        assertThat(asked).as("still trying, not failed back to the pool").isNotDone();

        try (EmbeddedDatabase database = EmbeddedDatabase.start(TestDatabase.tempDir("images-reconnect"), port);
             Connection connection = asked.get(60, TimeUnit.SECONDS)) {
            assertThat(connection.isValid(2)).isTrue();
        }
    }

    @Test
    void a_failure_other_than_reaching_the_database_goes_to_the_pool_at_once() throws Exception {
        var shared = TestDatabase.shared().url();
        String unknown = shared.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/no_such_database$1");
        var target = new Counted(unknown);
        shared.user().ifPresent(target::setUser);
        var source = new ReconnectingDataSource(target, "test", RETRY);

        assertThatThrownBy(source::getConnection).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
        assertThat(target.attempts).hasValue(1);
    }

    @Test
    void once_its_pool_has_closed_an_unreachable_database_goes_to_the_pool_at_once() throws Exception {
        var target = new Counted("jdbc:postgresql://127.0.0.1:" + Ports.free() + "/postgres");
        var source = new ReconnectingDataSource(target, "test", RETRY);
        source.stopWhen(() -> true);

        assertThatThrownBy(source::getConnection).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(ReconnectingDataSource.unreachable(e)).isTrue());
        assertThat(target.attempts).hasValue(1);
    }

    @Test
    void a_pool_holds_a_reconnecting_data_source_and_its_connections_work() throws Exception {
        var url = TestDatabase.shared().url();
        try (var pool = Database.pool(url, 1, Duration.ofSeconds(2), "reconnect-test");
             Connection connection = pool.getConnection()) {
            assertThat(pool.isWrapperFor(ReconnectingDataSource.class)).isTrue();
            assertThat(connection.isValid(2)).isTrue();
        }
    }
}
