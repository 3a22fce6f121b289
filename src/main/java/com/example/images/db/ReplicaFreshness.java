package com.example.images.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.WeakHashMap;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Which WAL position a read from a replica must have replayed, and whether a reader's node has.
 * Three lower bounds, the highest of which applies to a read:
 * <ul>
 *   <li>the product's last change this instance knows of: after its own write commits, the
 *       primary's position then ({@link #afterWrite}); after the change listener hears another
 *       instance's, the primary's position read right after the notification ({@link #changed});</li>
 *   <li>a position a client sends ({@code X-Min-LSN}, from a write's {@code X-Commit-LSN});</li>
 *   <li>the primary's position {@code --max-replica-lag} ago, from the listener's samples
 *       ({@link #primaryAt}): a replica further behind is not read until it catches up.</li>
 * </ul>
 * A primary's own position is always past every commit acknowledged, so the primary always
 * qualifies. With a single-host database URL ({@link #none()}) every bound is 0 and nothing is
 * checked.
 */
public final class ReplicaFreshness {

    /** The longest a read waits for its replica to replay a position before it reads the primary instead. */
    public static final Duration WAIT = Duration.ofMillis(100);
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();
    /** The primary's WAL position as a bigint. */
    public static final String PRIMARY_POSITION = "SELECT " + Lsn.asBigint("pg_current_wal_lsn()");
    /** What this node shows readers: a standby what it has replayed, a primary everything. */
    private static final String VISIBLE_POSITION = "SELECT " + Lsn.asBigint(
            "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END");

    private record Sample(long nanos, long lsn) {
    }

    private final boolean enabled;
    private final DataSource primary;
    private final long maxLagNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final Cache<Long, Long> changes;
    // Replay only moves forward on a node, so a position once seen there needs no new round trip.
    private final Map<Object, Long> seen = Collections.synchronizedMap(new WeakHashMap<>());

    private ReplicaFreshness(boolean enabled, DataSource primary, Duration maxLag) {
        this.enabled = enabled;
        this.primary = primary;
        this.maxLagNanos = maxLag.toNanos();
        // Past max lag (and a sampling period) the lag bound alone covers a change.
        this.changes = Caffeine.newBuilder().expireAfterWrite(maxLag.plusSeconds(1)).build();
    }

    /** For a database without replicas: no bounds, no checks. */
    public static ReplicaFreshness none() {
        return new ReplicaFreshness(false, null, Duration.ZERO);
    }

    /**
     * @param primary connections to the primary, for its position after a write
     * @param maxLag  the most a replica may lag behind the primary and still be read
     */
    public static ReplicaFreshness of(DataSource primary, Duration maxLag) {
        return new ReplicaFreshness(true, primary, maxLag);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The primary's position, sampled by the change listener after applying every notification it had heard. */
    public void primaryAt(long lsn) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        synchronized (samples) {
            samples.addLast(new Sample(now, lsn));
            // Keep one sample older than the lag bound: the newest such is the floor.
            while (samples.size() > 1) {
                var oldestFirst = samples.iterator();
                oldestFirst.next();
                if (now - oldestFirst.next().nanos() < maxLagNanos) {
                    break;
                }
                samples.removeFirst();
            }
        }
    }

    /** Forgets the samples, as when the listener reconnects, perhaps to a new primary. */
    public void forgetSamples() {
        synchronized (samples) {
            samples.clear();
        }
    }

    /** The product changed at or before {@code lsn}; reads of it must see that position. */
    public void changed(long productId, long lsn) {
        if (enabled) {
            changes.asMap().merge(productId, lsn, Math::max);
        }
    }

    /**
     * After a write to the product committed here: records the primary's position, which is past
     * the commit, and returns it (empty without replicas).
     */
    public OptionalLong afterWrite(long productId) throws SQLException {
        if (!enabled) {
            return OptionalLong.empty();
        }
        long lsn = primaryPosition();
        changed(productId, lsn);
        return OptionalLong.of(lsn);
    }

    /** The primary's current WAL position. */
    public long primaryPosition() throws SQLException {
        try (Connection connection = primary.getConnection()) {
            return position(connection, PRIMARY_POSITION);
        }
    }

    /** The position a read of {@code productIds} must see; {@code clientLsn} is a client's own bound, or 0. */
    public long required(long[] productIds, long clientLsn) {
        if (!enabled) {
            return 0; // one node: it shows every commit
        }
        long required = Math.max(clientLsn, floor());
        for (long id : productIds) {
            Long changed = changes.getIfPresent(id);
            if (changed != null && changed > required) {
                required = changed;
            }
        }
        return required;
    }

    private long floor() {
        long cutoff = System.nanoTime() - maxLagNanos;
        synchronized (samples) {
            Sample oldest = samples.peekFirst();
            return oldest != null && oldest.nanos() - cutoff <= 0 ? oldest.lsn() : 0;
        }
    }

    /**
     * Whether the node {@code connection} reads from shows {@code lsn}, waiting up to {@link #WAIT}
     * for a replica to replay it.
     */
    public boolean reached(Connection connection, long lsn) throws SQLException {
        if (lsn <= 0) {
            return true;
        }
        Object node = connection.unwrap(PGConnection.class);
        Long known = seen.get(node);
        if (known != null && known >= lsn) {
            return true;
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long visible = position(connection, VISIBLE_POSITION);
            seen.put(node, visible);
            if (visible >= lsn) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static long position(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
