package com.example.images.db;

import static com.example.images.db.SqlStates.CANNOT_CONNECT_NOW;

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
 * What a Hikari pool lacks, in front of one: a bounded wait, and failing fast while the database
 * is known to be down. At most as many borrowers as the pool has connections are admitted; at
 * most {@code maxQueued} others wait, each at most {@code queueTimeout}, and then get a
 * {@link SQLTransientConnectionException} with {@link SqlStates#CANNOT_CONNECT_NOW}, which a
 * request answers with a 503 and {@code Retry-After}. Once a connection attempt has failed, one
 * borrower at a time probes the database (waiting up to the pool's connection timeout) and every
 * other one is turned away at once, until a probe succeeds. Without the gate every virtual
 * thread waits the pool's full connection timeout during an outage: requests pile up by the
 * thousand, even cached galleries answer slowly, and a balancer that retries the 503 elsewhere
 * multiplies the wait.
 *
 * <p>The service has one gate per pool: one for request work, one for the gallery readers' own
 * pool ({@code Database.pools}), so writes queued on a row lock never hold the connections
 * cache misses for other products need.
 */
public final class ConnectionGate extends ForwardingDataSource implements AutoCloseable {

    private final Semaphore permits;
    private final int size;
    private final String connections;
    private final long queueNanos;
    private final int maxQueued;
    private final LongAdder rejected = new LongAdder();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean failing;
    // Borrowers wait without a timeout and one sweeper thread interrupts those past their
    // deadline: a timed wait arms and cancels a timer in the virtual-thread scheduler every time,
    // which a profile with many clients on few connections showed as a large share of the
    // service's CPU (docs/bench-log/).
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    /** A borrower waiting for a permit; {@code settled} is won either by the borrower or by the sweeper. */
    private record Waiter(Thread thread, long deadline, AtomicBoolean settled) {
    }

    /** A gate whose messages call its connections "database connections". */
    public ConnectionGate(DataSource pool, int size, int maxQueued, Duration queueTimeout) {
        this("database connections", pool, size, maxQueued, queueTimeout);
    }

    /**
     * @param connections what its messages call the connections, such as "database connections"
     * @param size        connections in the pool
     * @param maxQueued   borrowers allowed to wait at once; past it a request gets its 503 at once.
     *                    Under overload an unbounded queue of virtual threads once filled the heap.
     */
    public ConnectionGate(String connections, DataSource pool, int size, int maxQueued, Duration queueTimeout) {
        super(pool);
        this.size = size;
        this.connections = connections;
        // Not fair: a borrower that arrives as a connection comes back takes it without a
        // hand-off to a parked thread; the queue bound and timeout still cap every wait.
        this.permits = new Semaphore(size);
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
        return permits.getQueueLength();
    }

    @Override
    public Connection getConnection() throws SQLException {
        boolean probe = failing;
        if (probe && !probing.compareAndSet(false, true)) {
            rejected.increment();
            throw new SQLTransientConnectionException("the database is unavailable for the " + connections
                    + "; another request is probing it", CANNOT_CONNECT_NOW);
        }
        try {
            acquire(probe ? 0 : queueNanos);
            try {
                Connection connection = target.getConnection();
                failing = false;
                return gated(connection, permits);
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
                    + " requests are already waiting for the " + size + " " + connections, CANNOT_CONNECT_NOW);
        }
        if (permits.tryAcquire()) {
            return;
        }
        if (waitNanos <= 0) {
            throw busy(waitNanos);
        }
        var waiter = new Waiter(Thread.currentThread(), System.nanoTime() + waitNanos, new AtomicBoolean());
        waiters.add(waiter);
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            if (!waiter.settled().compareAndSet(false, true)) {
                throw busy(waitNanos); // the sweeper's interrupt: the wait timed out
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

    private SQLTransientConnectionException busy(long waitNanos) {
        rejected.increment();
        return new SQLTransientConnectionException("all " + size + " " + connections + " stayed busy for "
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
