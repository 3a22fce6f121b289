package com.example.images.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
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
 *
 * <p>Some of the connections can be reserved for a fixed set of borrowers ({@link #reserved()}:
 * the gallery readers), which then never queue behind the others. Without the reserve, writes
 * queued on one product's row lock held every connection, and cache misses for any other
 * product waited for them and got 503s.
 */
public final class ConnectionGate extends PoolFront implements AutoCloseable {

    /** SQLState "cannot connect now": the server is not accepting work (a 503). */
    public static final String CANNOT_CONNECT_NOW = "57P03";

    private final Share shared;
    private final Share reserve;
    private final DataSource reservedView;
    private final long queueNanos;
    private final int maxQueued;
    private final LongAdder rejected = new LongAdder();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean failing;
    // Borrowers wait without a timeout and one sweeper thread interrupts those past their
    // deadline: a timed wait arms and cancels a timer in the virtual-thread scheduler every time,
    // and with 64 clients on 8 connections that was 10.8% of the service's CPU (async-profiler).
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    /** A borrower waiting for a permit; {@code settled} is won either by the borrower or by the sweeper. */
    private record Waiter(Thread thread, long deadline, AtomicBoolean settled) {
    }

    /** Permits for one group of borrowers. */
    private record Share(Semaphore permits, int size, String whose) {
        Share(int size, String whose) {
            // Not fair: a borrower that arrives as a connection comes back takes it without a
            // hand-off to a parked thread; the queue bound and timeout still cap every wait.
            this(new Semaphore(size), size, whose);
        }
    }

    /** A gate with no reserve: every borrower shares all {@code size} connections. */
    public ConnectionGate(DataSource pool, int size, int maxQueued, Duration queueTimeout) {
        this(pool, size, 0, maxQueued, queueTimeout);
    }

    /**
     * @param size      connections in the pool
     * @param reserved  of those, how many only {@link #reserved()} hands out; fewer than {@code size}
     * @param maxQueued borrowers allowed to wait at once; past it a request gets its 503 at once.
     *                  Under overload an unbounded queue of virtual threads once filled the heap.
     */
    public ConnectionGate(DataSource pool, int size, int reserved, int maxQueued, Duration queueTimeout) {
        super(pool);
        if (reserved < 0 || reserved >= size) {
            throw new IllegalArgumentException("reserved connections must be 0 to " + (size - 1) + ", got " + reserved);
        }
        this.shared = new Share(size - reserved,
                reserved == 0 ? "database connections" : "database connections not reserved for gallery reads");
        this.reserve = new Share(reserved, "database connections reserved for gallery reads");
        this.reservedView = reserved == 0 ? this : new PoolFront(pool) {
            @Override
            public Connection getConnection() throws SQLException {
                return borrow(reserve);
            }
        };
        this.queueNanos = queueTimeout.toNanos();
        this.maxQueued = maxQueued;
        long sweepMillis = Math.clamp(queueTimeout.toMillis() / 20, 5, 50);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            var thread = new Thread(task, "db-gate-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::expireOverdue, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops the sweeper; borrowers still waiting then wait until a permit comes back. */
    @Override
    public void close() {
        sweeper.shutdownNow();
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
        return shared.permits().getQueueLength() + reserve.permits().getQueueLength();
    }

    /**
     * The reserved connections, as a DataSource for the borrowers they are kept for; it shares
     * the gate's knowledge of a failing database.
     */
    public DataSource reserved() {
        return reservedView;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return borrow(shared);
    }

    private Connection borrow(Share share) throws SQLException {
        boolean probe = failing;
        if (probe && !probing.compareAndSet(false, true)) {
            rejected.increment();
            throw new SQLTransientConnectionException("the database is unavailable; another request is probing it",
                    CANNOT_CONNECT_NOW);
        }
        try {
            acquire(share, probe ? 0 : queueNanos);
            try {
                Connection connection = pool.getConnection();
                failing = false;
                return gated(connection, share.permits());
            } catch (SQLException | RuntimeException | Error e) {
                if (e instanceof SQLException) {
                    failing = true;
                }
                share.permits().release();
                throw e;
            }
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
    }

    private void acquire(Share share, long waitNanos) throws SQLException {
        Semaphore permits = share.permits();
        if (permits.getQueueLength() >= maxQueued) {
            if (permits.tryAcquire()) {
                return;
            }
            rejected.increment();
            throw new SQLTransientConnectionException("overloaded: " + maxQueued
                    + " requests are already waiting for the " + share.size() + " " + share.whose(), CANNOT_CONNECT_NOW);
        }
        if (permits.tryAcquire()) {
            return;
        }
        if (waitNanos <= 0) {
            throw busy(share, waitNanos);
        }
        var waiter = new Waiter(Thread.currentThread(), System.nanoTime() + waitNanos, new AtomicBoolean());
        waiters.add(waiter);
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            if (!waiter.settled().compareAndSet(false, true)) {
                throw busy(share, waitNanos); // the sweeper's interrupt: the wait timed out
            }
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a database connection",
                    CANNOT_CONNECT_NOW, e);
        } finally {
            waiters.remove(waiter);
        }
        if (!waiter.settled().compareAndSet(false, true)) {
            // The sweeper timed the wait out as the permit came: keep the permit, but take the
            // interrupt it sends first, or it would close the database socket mid-query.
            while (!Thread.interrupted()) {
                Thread.onSpinWait();
            }
        }
    }

    private SQLTransientConnectionException busy(Share share, long waitNanos) {
        rejected.increment();
        return new SQLTransientConnectionException("all " + share.size() + " " + share.whose() + " stayed busy for "
                + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms", CANNOT_CONNECT_NOW);
    }

    private void expireOverdue() {
        long now = System.nanoTime();
        for (Waiter waiter : waiters) {
            if (now - waiter.deadline() >= 0 && waiter.settled().compareAndSet(false, true)) {
                waiter.thread().interrupt();
            }
        }
    }

    /** The pool's connection, releasing the permit exactly once when it is closed. */
    private static Connection gated(Connection connection, Semaphore permits) {
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
}
