package com.example.images.seed;

import com.example.images.db.DatabaseUrl;
import com.example.images.support.ScratchDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads a catalog back for comparison: checksums of the ordered table contents, counts, one-value queries. */
final class Tables {

    // Every column a seed writes; created_at/updated_at record when the load ran, not what was loaded.
    private static final String CHECKSUM = """
            SELECT (SELECT md5(coalesce(string_agg(p::text, '|' ORDER BY p.id), ''))
                    FROM (SELECT id, name, version FROM products) p)
                || ' ' ||
                   (SELECT md5(coalesce(string_agg(i::text, '|' ORDER BY i.id), ''))
                    FROM (SELECT product_id, position, id, url, thumbnail_url, alt, width, height FROM images) i)""";

    private Tables() {
    }

    static String checksum(DatabaseUrl url) {
        return string(url, CHECKSUM);
    }

    static long count(DatabaseUrl url, String table) {
        return Long.parseLong(string(url, "SELECT count(*) FROM " + table));
    }

    static String string(DatabaseUrl url, String sql) {
        try (Connection c = ScratchDatabases.connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static void execute(DatabaseUrl url, String sql) {
        try (Connection c = ScratchDatabases.connect(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
