package com.example.images.gallery;

import com.example.images.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
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
 */
public final class GalleryChangeListener implements AutoCloseable {

    public static final String CHANNEL = com.example.images.db.Channels.GALLERY_CHANGED;
    public static final String APPLICATION_NAME = "images-listener";
    private static final Logger log = LoggerFactory.getLogger(GalleryChangeListener.class);

    private final DatabaseUrl url;
    private final GalleryCache cache;
    private final long boundNanos;
    private final int pollMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long confirmedAt = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile Connection connection;
    private final CountDownLatch listening = new CountDownLatch(1);

    public GalleryChangeListener(DatabaseUrl url, GalleryCache cache, Duration stalenessBound) {
        this.url = url;
        this.cache = cache;
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
                    statement.execute("SELECT 1");
                    apply(pg.getNotifications());
                    confirmedAt = roundTripStart;
                    apply(pg.getNotifications(pollMillis));
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

    private void apply(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification notification : notifications) {
            String payload = notification.getParameter();
            if ("*".equals(payload)) {
                cache.invalidateAll();
                continue;
            }
            try {
                cache.invalidate(Long.parseLong(payload));
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
