package com.example.images.gallery;

import com.example.images.db.DatabaseUrl;
import com.example.images.db.ReplicaFreshness;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears {@code NOTIFY gallery_changed, '<product id>'} from every instance's writes and drops
 * those galleries from the local cache. It confirms its connection with a round trip several
 * times per staleness bound: every notification committed before a confirmed round trip has
 * been applied. When confirmation lapses the cache is bypassed, and after a reconnect the
 * whole cache is cleared, because anything may have changed unheard.
 *
 * <p>It listens on the primary (a multi-host URL's {@link DatabaseUrl#primary()}), so after a
 * failover it reconnects to the new one. With replicas, each confirmation reads the primary's WAL
 * position, and each batch of notifications is followed by one more such read before the
 * galleries are dropped: that position is past the changes' commits, and reads of those products
 * must find it replayed ({@link ReplicaFreshness}).
 */
public final class GalleryChangeListener implements AutoCloseable {

    public static final String CHANNEL = com.example.images.db.Channels.GALLERY_CHANGED;
    public static final String APPLICATION_NAME = "images-listener";
    private static final Logger log = LoggerFactory.getLogger(GalleryChangeListener.class);

    private final DatabaseUrl url;
    private final GalleryCache cache;
    private final ReplicaFreshness freshness;
    private final String confirmation;
    private final long boundNanos;
    private final int pollMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long confirmedAt = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile Connection connection;
    private final CountDownLatch listening = new CountDownLatch(1);

    public GalleryChangeListener(DatabaseUrl url, GalleryCache cache, Duration stalenessBound) {
        this(url, cache, stalenessBound, ReplicaFreshness.none());
    }

    public GalleryChangeListener(DatabaseUrl url, GalleryCache cache, Duration stalenessBound, ReplicaFreshness freshness) {
        this.url = url.primary();
        this.cache = cache;
        this.freshness = freshness;
        this.confirmation = freshness.enabled() ? ReplicaFreshness.PRIMARY_POSITION : "SELECT 1";
        this.boundNanos = stalenessBound.toNanos();
        this.pollMillis = (int) Math.max(20, stalenessBound.toMillis() / 4);
        this.thread = Thread.ofPlatform().daemon().name("gallery-listener").unstarted(this::run);
    }

    /** Starts listening and waits, up to {@code wait}, until the cache can be trusted. */
    public GalleryChangeListener start(Duration wait) {
        thread.start();
        try {
            if (!listening.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Gallery change listener not connected after {} ms; reading through until it is", wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** Whether every change committed more than the staleness bound ago has reached the cache. */
    public boolean current() {
        return System.nanoTime() - confirmedAt < boundNanos;
    }

    private void run() {
        boolean warned = false;
        while (running.get()) {
            try (Connection c = connect(); Statement statement = c.createStatement()) {
                connection = c;
                long listeningSince = System.nanoTime();
                statement.execute("LISTEN " + CHANNEL);
                freshness.forgetSamples();
                cache.invalidateAll();
                confirmedAt = listeningSince;
                listening.countDown();
                if (warned) {
                    log.info("Gallery change listener reconnected; cache cleared");
                    warned = false;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running.get()) {
                    long roundTripStart = System.nanoTime();
                    long position = confirm(statement);
                    apply(pg.getNotifications(), statement);
                    confirmedAt = roundTripStart;
                    freshness.primaryAt(position);
                    apply(pg.getNotifications(pollMillis), statement);
                }
            } catch (SQLException | RuntimeException e) {
                if (running.get() && !warned) {
                    log.warn("Gallery change listener lost its connection ({}); bypassing the cache until it is back",
                            e.getMessage());
                    warned = true;
                }
                pause();
            } finally {
                connection = null;
            }
        }
    }

    /** One round trip; with replicas it returns the primary's WAL position, else 0. */
    private long confirm(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery(confirmation)) {
            rs.next();
            return freshness.enabled() ? rs.getLong(1) : 0;
        }
    }

    private void apply(PGNotification[] notifications, Statement statement) throws SQLException {
        if (notifications == null || notifications.length == 0) {
            return;
        }
        // Read after the notifications arrived, so past their commits; recorded before the drop, so
        // a read that misses because of the drop finds the bound.
        long changedAt = freshness.enabled() ? confirm(statement) : 0;
        for (PGNotification notification : notifications) {
            String payload = notification.getParameter();
            if ("*".equals(payload)) {
                cache.invalidateAll();
                continue;
            }
            try {
                long productId = Long.parseLong(payload);
                freshness.changed(productId, changedAt);
                cache.invalidate(productId);
            } catch (NumberFormatException e) {
                cache.invalidateAll();
            }
        }
    }

    private Connection connect() throws SQLException {
        var properties = new Properties();
        url.user().ifPresent(user -> properties.setProperty("user", user));
        url.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", String.valueOf(Math.max(2, pollMillis / 1000 * 4 + 2)));
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    private void pause() {
        try {
            Thread.sleep(Math.min(250, pollMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            Connection c = connection;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing to wake the thread; it is going away either way
                }
            }
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
