package com.example.images.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Admits at most as many borrowers as the pool has connections; the others wait at most
 * {@code queueTimeout} (by default the database timeout, as they would inside the pool) and then
 * get a {@link SQLTransientConnectionException} (a 503). Once a connection attempt has failed,
 * the database is known to be failing: one request at a time probes it (waiting up to the pool's
 * connection timeout) and every other one is turned away at once, until a probe succeeds. Without the gate every virtual
 * thread waits the pool's full connection timeout during an outage: requests pile up by the
 * thousand, even cached galleries answer slowly, and a balancer that retries the 503 elsewhere
 * multiplies the wait.
 */
public final class ConnectionGate implements DataSource {

    /** SQLState "cannot connect now": the server is not accepting work. */
    static final String CANNOT_CONNECT_NOW = "57P03";

    private final DataSource pool;
    private final Semaphore permits;
    private final int size;
    private final long queueNanos;
    private final int maxQueued;
    private final LongAdder rejected = new LongAdder();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean failing;

    /**
     * @param maxQueued borrowers allowed to wait at once; past it a request gets its 503 at once.
     *                  Under overload an unbounded queue of virtual threads once filled the heap.
     */
    public ConnectionGate(DataSource pool, int size, int maxQueued, Duration queueTimeout) {
        this.pool = pool;
        this.size = size;
        // Not fair: a borrower that arrives as a connection comes back takes it without a hand-off
        // to a parked thread; the queue bound and timeout still cap every wait.
        this.permits = new Semaphore(size);
        this.queueNanos = queueTimeout.toNanos();
        this.maxQueued = maxQueued;
    }

    /** Whether the last attempt to get a connection failed; cleared by the next success. */
    public boolean failing() {
        return failing;
    }

    /** Requests turned away without a connection, since start. */
    public long rejected() {
        return rejected.sum();
    }

    /** Borrowers waiting for a permit now. */
    public int queued() {
        return permits.getQueueLength();
    }

    @Override
    public Connection getConnection() throws SQLException {
        boolean probe = failing;
        if (probe && !probing.compareAndSet(false, true)) {
            rejected.increment();
            throw new SQLTransientConnectionException("the database is unavailable; another request is probing it",
                    CANNOT_CONNECT_NOW);
        }
        try {
            acquire(probe ? 0 : queueNanos);
            try {
                Connection connection = pool.getConnection();
                failing = false;
                return gated(connection);
            } catch (SQLException | RuntimeException | Error e) {
                if (e instanceof SQLException) {
                    failing = true;
                }
                permits.release();
                throw e;
            }
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
    }

    private void acquire(long waitNanos) throws SQLException {
        if (permits.getQueueLength() >= maxQueued) {
            if (permits.tryAcquire()) {
                return;
            }
            rejected.increment();
            throw new SQLTransientConnectionException("overloaded: " + maxQueued
                    + " requests are already waiting for the " + size + " database connections", CANNOT_CONNECT_NOW);
        }
        try {
            if (!permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                rejected.increment();
                throw new SQLTransientConnectionException("all " + size + " database connections stayed busy for "
                        + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms", CANNOT_CONNECT_NOW);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a database connection",
                    CANNOT_CONNECT_NOW, e);
        }
    }

    /** The pool's connection, releasing the permit exactly once when it is closed. */
    private Connection gated(Connection connection) {
        var released = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        try {
                            connection.close();
                        } finally {
                            if (released.compareAndSet(false, true)) {
                                permits.release();
                            }
                        }
                        return null;
                    }
                    return invoke(connection, method, args);
                });
    }

    private static Object invoke(Connection connection, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(connection, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's credentials are fixed");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
