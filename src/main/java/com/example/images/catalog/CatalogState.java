package com.example.images.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one row of {@code catalog_state}: whether the bulk-loaded catalog is complete.
 * A seed marks it 'loading' (committed) before it touches the tables and 'ready' in the
 * transaction that completes the load, so an interrupted load is always visible as such.
 */
public final class CatalogState {

    /** The row; {@code images} and {@code finishedAt} are null while loading. */
    public record State(String status, long products, Long images, long randomSeed, int minImages, int maxImages,
                        String imageBaseUrl, OffsetDateTime startedAt, OffsetDateTime finishedAt) {
        public boolean loading() {
            return "loading".equals(status);
        }
    }

    /** The advisory lock a seed holds for its whole run. */
    public static final long SEED_LOCK = 0x696D61676573L;

    private static final String READ = """
            SELECT status, products, images, random_seed, min_images, max_images, image_base_url, started_at, finished_at
            FROM catalog_state""";
    private static final String MARK_LOADING = """
            INSERT INTO catalog_state (status, products, images, random_seed, min_images, max_images, image_base_url,
                                       started_at, finished_at)
            VALUES ('loading', ?, NULL, ?, ?, ?, ?, now(), NULL)
            ON CONFLICT (singleton) DO UPDATE SET status = excluded.status, products = excluded.products,
                images = NULL, random_seed = excluded.random_seed, min_images = excluded.min_images,
                max_images = excluded.max_images, image_base_url = excluded.image_base_url,
                started_at = excluded.started_at, finished_at = NULL""";
    // started_at stays when a 'loading' row exists: it is when this seed began.
    private static final String MARK_READY = """
            INSERT INTO catalog_state (status, products, images, random_seed, min_images, max_images, image_base_url,
                                       started_at, finished_at)
            VALUES ('ready', ?, ?, ?, ?, ?, ?, now(), clock_timestamp())
            ON CONFLICT (singleton) DO UPDATE SET status = excluded.status, products = excluded.products,
                images = excluded.images, random_seed = excluded.random_seed, min_images = excluded.min_images,
                max_images = excluded.max_images, image_base_url = excluded.image_base_url,
                finished_at = excluded.finished_at""";
    private static final String SEED_RUNNING = "SELECT pg_try_advisory_lock_shared(?)";
    private static final String SEED_RUNNING_RELEASE = "SELECT pg_advisory_unlock_shared(?)";

    private CatalogState() {
    }

    public static Optional<State> read(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(READ); ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long images = rs.getLong(3);
            return Optional.of(new State(rs.getString(1), rs.getLong(2), rs.wasNull() ? null : images, rs.getLong(4),
                    rs.getInt(5), rs.getInt(6), rs.getString(7),
                    rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class)));
        }
    }

    public static void markLoading(Connection connection, long products, CatalogGenerator generator) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(MARK_LOADING)) {
            st.setLong(1, products);
            st.setLong(2, generator.seed());
            st.setInt(3, generator.minImages());
            st.setInt(4, generator.maxImages());
            st.setString(5, generator.urls().baseUrl());
            st.executeUpdate();
        }
    }

    public static void markReady(Connection connection, long products, long images, CatalogGenerator generator)
            throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(MARK_READY)) {
            st.setLong(1, products);
            st.setLong(2, images);
            st.setLong(3, generator.seed());
            st.setInt(4, generator.minImages());
            st.setInt(5, generator.maxImages());
            st.setString(6, generator.urls().baseUrl());
            st.executeUpdate();
        }
    }

    /** Whether a seed is running against this database right now (it holds {@link #SEED_LOCK}). */
    public static boolean seedRunning(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(SEED_RUNNING)) {
            st.setLong(1, SEED_LOCK);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return true;
                }
            }
        }
        try (PreparedStatement st = connection.prepareStatement(SEED_RUNNING_RELEASE)) {
            st.setLong(1, SEED_LOCK);
            st.execute();
        }
        return false;
    }

    /** Throws when the catalog is marked unfinished: a half-loaded catalog is never served as complete. */
    public static void requireServable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Optional<State> state = read(connection);
            if (state.isEmpty() || !state.get().loading()) {
                return;
            }
            State s = state.get();
            if (seedRunning(connection)) {
                throw new CatalogRefusedException("the catalog is being seeded (" + s.products() + " products, started "
                        + s.startedAt() + "); start serve when the seed has finished");
            }
            throw new CatalogRefusedException("the catalog is unfinished: a seed of " + s.products()
                    + " products started " + s.startedAt() + " did not finish; reseed with: bin/images seed --replace --products "
                    + s.products() + " --random-seed " + s.randomSeed());
        }
    }
}
