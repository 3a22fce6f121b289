package com.example.images.seed;

import com.example.images.catalog.CatalogRefusedException;
import com.example.images.catalog.CatalogState;
import com.example.images.db.Database;
import com.example.images.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code images seed}: replaces the catalog of one database with a generated one.
 *
 * <ol>
 *   <li>connect, bring the schema up to date, take the seed lock (one seed per database);</li>
 *   <li>refuse when products exist, unless replacing is allowed or the catalog is marked
 *       unfinished (the seed that marked it was already allowed to replace it);</li>
 *   <li>commit the 'loading' mark, so that {@code serve} refuses the catalog from now on;</li>
 *   <li>load everything in one transaction that ends by marking the catalog 'ready'. An
 *       interruption rolls it back: the old rows stay, marked unfinished, until a seed succeeds.</li>
 * </ol>
 */
public final class Seeder {

    private static final Duration LOCK_WAIT = Duration.ofSeconds(15);
    private static final String PRODUCTS_EXIST = "SELECT EXISTS (SELECT 1 FROM products)";
    private static final long COUNT_LIMIT = 1_000_000;
    private static final String COUNT_PRODUCTS = "SELECT count(*) FROM (SELECT FROM products LIMIT " + (COUNT_LIMIT + 1) + ") p";

    private final SeedPlan plan;
    private final RowFormat format;
    private final boolean replace;

    public Seeder(SeedPlan plan, String format, boolean replace) {
        this.plan = plan;
        this.format = RowFormat.copy(format);
        this.replace = replace;
    }

    public CatalogLoader.Counts run(DatabaseUrl url, Progress progress) throws SQLException {
        try (Connection connection = connect(url)) {
            progress.phase("migrating the schema");
            Database.migrate(url);
            lock(connection, progress);
            refuseExistingCatalog(connection);
            CatalogState.markLoading(connection, plan.products(), plan.generator());
            connection.setAutoCommit(false);
            try {
                CatalogLoader.Counts counts = new CatalogLoader(plan, format).load(connection, progress);
                progress.phase("committing");
                connection.commit();
                return counts;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }

    /** A connection of its own: no pool, no statement timeout, bulk-load settings for this session only. */
    static Connection connect(DatabaseUrl url) throws SQLException {
        var props = new Properties();
        url.user().ifPresent(u -> props.setProperty("user", u));
        url.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "images-seed");
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        Connection connection;
        try {
            connection = DriverManager.getConnection(url.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new SQLException(connectionProblem(url, e), e.getSQLState(), e);
        }
        try (Statement st = connection.createStatement()) {
            st.execute("SET statement_timeout = 0");
            st.execute("SET lock_timeout = '60s'");
            // Index builds and the foreign-key check sort and hash in this much memory.
            st.execute("""
                    SELECT set_config('maintenance_work_mem', '512MB', false)
                    WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('512MB')""");
            if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
                // A killed seed's backend notices within a second and rolls back, releasing its locks.
                st.execute("SET client_connection_check_interval = '1s'");
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static String connectionProblem(DatabaseUrl url, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = firstLine(e.getMessage());
        if (state.startsWith("08")) {
            return "cannot reach PostgreSQL at " + url.display() + ": " + reason;
        }
        if (state.startsWith("28")) {
            return "PostgreSQL at " + url.display() + " refused the login: " + reason;
        }
        return "cannot connect to PostgreSQL at " + url.display() + ": " + reason;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }

    private void lock(Connection connection, Progress progress) throws SQLException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        boolean told = false;
        while (true) {
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                st.setLong(1, CatalogState.SEED_LOCK);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException("another seed is running against this database; wait for it to finish");
            }
            if (!told) {
                progress.phase("waiting for another seed to finish");
                told = true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for another seed", e);
            }
        }
    }

    private void refuseExistingCatalog(Connection connection) throws SQLException {
        Optional<CatalogState.State> state = CatalogState.read(connection);
        if (replace || state.map(CatalogState.State::loading).orElse(false)) {
            return;
        }
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(PRODUCTS_EXIST)) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return;
            }
        }
        long count;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(COUNT_PRODUCTS)) {
            rs.next();
            count = rs.getLong(1);
        }
        String size = count > COUNT_LIMIT ? "more than " + COUNT_LIMIT : Long.toString(count);
        throw new CatalogRefusedException("the database already holds " + size
                + " products; pass --replace to replace them");
    }
}
