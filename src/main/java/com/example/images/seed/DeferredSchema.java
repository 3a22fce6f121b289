package com.example.images.seed;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The indexes and constraints of products and images, read from the catalog, dropped before
 * a bulk load and built again after it: one sort per index instead of 65M index insertions
 * and foreign-key checks. Whatever later migrations add to these tables is carried along.
 * Primary and unique keys and plain indexes come back first, foreign keys last.
 */
final class DeferredSchema {

    private static final String CONSTRAINTS = """
            SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid), c.contype = 'f'
            FROM pg_constraint c
            WHERE c.contype IN ('p', 'u', 'x', 'f')
              AND (c.conrelid IN ('products'::regclass, 'images'::regclass)
                   OR c.confrelid IN ('products'::regclass, 'images'::regclass))
            ORDER BY c.contype = 'f' DESC, c.conname""";
    private static final String INDEXES = """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid IN ('products'::regclass, 'images'::regclass)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY 1""";

    private record Constraint(String table, String name, String definition, boolean foreignKey) {
    }

    private record Index(String name, String definition) {
    }

    private final List<Constraint> constraints;
    private final List<Index> indexes;

    private DeferredSchema(List<Constraint> constraints, List<Index> indexes) {
        this.constraints = constraints;
        this.indexes = indexes;
    }

    /** Reads the definitions, then drops them: foreign keys first, then keys and indexes. */
    static DeferredSchema drop(Connection connection) throws SQLException {
        var constraints = new ArrayList<Constraint>();
        var indexes = new ArrayList<Index>();
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery(CONSTRAINTS)) {
                while (rs.next()) {
                    constraints.add(new Constraint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            try (ResultSet rs = st.executeQuery(INDEXES)) {
                while (rs.next()) {
                    indexes.add(new Index(rs.getString(1), rs.getString(2)));
                }
            }
            for (Constraint c : constraints) {
                st.execute("ALTER TABLE " + c.table() + " DROP CONSTRAINT " + c.name());
            }
            for (Index i : indexes) {
                st.execute("DROP INDEX " + i.name());
            }
        }
        return new DeferredSchema(constraints, indexes);
    }

    /** Builds everything again; each step is reported to {@code progress}. */
    void restore(Connection connection, Progress progress) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (Constraint c : constraints) {
                if (!c.foreignKey()) {
                    progress.phase("building " + c.table() + " " + c.name());
                    st.execute("ALTER TABLE " + c.table() + " ADD CONSTRAINT " + c.name() + " " + c.definition());
                }
            }
            for (Index i : indexes) {
                progress.phase("building index " + i.name());
                st.execute(i.definition());
            }
            for (Constraint c : constraints) {
                if (c.foreignKey()) {
                    progress.phase("validating " + c.table() + " " + c.name());
                    st.execute("ALTER TABLE " + c.table() + " ADD CONSTRAINT " + c.name() + " " + c.definition());
                }
            }
        }
    }
}
