package com.example.images.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What PostgreSQL's sessions wait for, as tests that hold a lock under a request need to know. */
public final class Locks {

    private static final String WAITING = """
            SELECT count(*) FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE '%' || ? || '%'""";

    private Locks() {
    }

    /** Whether a session whose query contains {@code queryPart} waits on a lock, as seen from {@code c}. */
    public static boolean queryWaits(Connection c, String queryPart) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(WAITING)) {
            st.setString(1, queryPart);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
