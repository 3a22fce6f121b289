package com.example.images.gallery;

import static com.example.images.db.SqlStates.CANNOT_CONNECT_NOW;

import com.example.images.db.ReplicaFreshness;
import com.example.images.db.SqlStates;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Reads galleries for concurrent requests together. A request that needs the database queues
 * its product id; each of a few readers takes the oldest waiting id, borrows a connection, and
 * then reads every id that queued meanwhile (up to {@link #MAX_BATCH}) in one query. Alone, a
 * request costs one hand-off to a reader; under load, one round trip and one execution serve
 * many requests, so the same database CPU reads about twice the galleries (pgbench,
 * docs/bench-log/). Each reader has a connection of its own, in a pool of their own
 * ({@code Database.pools}): writes waiting on row locks never hold the connections misses need.
 *
 * <p>With replicas, those connections prefer replicas. Before a query the reader checks that its
 * node has replayed what the batch must see ({@link ReplicaFreshness}), waiting briefly; if it has
 * not, the batch is read from the primary. A batch whose connection breaks (its node died or was
 * restarted) is read once more on a new connection, which pgjdbc opens to a node that answers.
 */
public final class GalleryBatcher implements AutoCloseable {

    /** The most products one query reads. */
    static final int MAX_BATCH = 64;

    private record Pending(long productId, long minLsn, CompletableFuture<Optional<GalleryJson>> result) {
    }

    private final GalleryRepository repository;
    private final DataSource database;
    private final DataSource primary;
    private final ReplicaFreshness freshness;
    private final LongAdder fromPrimary = new LongAdder();
    private final LinkedBlockingQueue<Pending> queue;
    private final int maxQueued;
    private final List<Thread> readers = new ArrayList<>();
    private final Set<Connection> inUse = ConcurrentHashMap.newKeySet();
    private final LongAdder batches = new LongAdder();
    private final LongAdder products = new LongAdder();
    private volatile boolean closed;

    /**
     * @param readers   queries in flight at most; as many as {@code database} has connections, so
     *                  that no reader waits for a connection another reader holds
     * @param maxQueued requests allowed to wait at once; past it a request gets its 503 at once
     */
    public GalleryBatcher(GalleryRepository repository, DataSource database, int readers, int maxQueued) {
        this(repository, database, readers, maxQueued, database, ReplicaFreshness.none());
    }

    /**
     * @param primary   where a batch goes that its replica has not caught up with
     * @param freshness the positions reads must see
     */
    public GalleryBatcher(GalleryRepository repository, DataSource database, int readers, int maxQueued,
                          DataSource primary, ReplicaFreshness freshness) {
        this.repository = repository;
        this.database = database;
        this.primary = primary;
        this.freshness = freshness;
        this.maxQueued = maxQueued;
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        // Platform threads: a reader spends its life waiting on PostgreSQL's socket, and a virtual
        // one is woken from there through the JDK's poller and a carrier thread, a hop each way,
        // which cost both the service and PostgreSQL CPU per miss (docs/bench-log/).
        for (int i = 0; i < readers; i++) {
            this.readers.add(Thread.ofPlatform().daemon().name("gallery-reader-" + i).start(this::read));
        }
    }

    /**
     * The product's gallery, read together with those of the other requests waiting now, without
     * waiting: the future completes on the reader thread that ran the query, or at once with a
     * {@link SQLException} when the queue is full or the batcher is closed.
     */
    public CompletableFuture<Optional<GalleryJson>> read(long productId) {
        return read(productId, 0);
    }

    /** As {@link #read(long)}, from a node that shows at least WAL position {@code minLsn}. */
    public CompletableFuture<Optional<GalleryJson>> read(long productId, long minLsn) {
        var pending = new Pending(productId, minLsn, new CompletableFuture<>());
        if (closed) {
            return CompletableFuture.failedFuture(stopping());
        }
        if (!queue.offer(pending)) {
            return CompletableFuture.failedFuture(new SQLTransientConnectionException("overloaded: " + maxQueued
                    + " requests are already waiting for the database", CANNOT_CONNECT_NOW));
        }
        if (closed && queue.remove(pending)) {
            return CompletableFuture.failedFuture(stopping());
        }
        return pending.result();
    }

    /** Queries run since start. */
    public long batches() {
        return batches.sum();
    }

    /** Products read by those queries. */
    public long products() {
        return products.sum();
    }

    /** Batches read from the primary because the replica had not replayed what they needed, since start. */
    public long fromPrimary() {
        return fromPrimary.sum();
    }

    /** Requests waiting for a reader now. */
    public int queued() {
        return queue.size();
    }

    /** Stops the readers; requests still waiting get a 503. */
    @Override
    public void close() {
        closed = true;
        readers.forEach(Thread::interrupt);
        // A platform thread blocked on PostgreSQL's socket does not notice an interrupt; aborting
        // its connection ends the read (a query stuck on a lock kept close() waiting 30 s).
        for (Connection connection : inUse) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                // closing anyway: the pool discards the connection
            }
        }
        for (Thread reader : readers) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        var left = new ArrayList<Pending>();
        queue.drainTo(left);
        fail(left, stopping());
    }

    private static SQLTransientConnectionException stopping() {
        return new SQLTransientConnectionException("the service is stopping", CANNOT_CONNECT_NOW);
    }

    private void read() {
        var batch = new ArrayList<Pending>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            Connection borrowed;
            try {
                borrowed = database.getConnection();
            } catch (SQLException | RuntimeException | Error e) {
                // Every request waiting now would wait for the same database in turn (one reader
                // facing an outage answered one request per 2 s connection timeout): all get this answer.
                queue.drainTo(batch);
                fail(batch, e);
                batch.clear();
                continue;
            }
            try {
                // Whatever queued while this reader waited for the connection goes in the same query.
                answerOn(borrowed, batch, true);
            } catch (SQLException lost) {
                if (closed || !SqlStates.isConnectionLost(lost)) {
                    fail(batch, lost);
                } else {
                    again(batch, lost);
                }
            } catch (RuntimeException | Error e) {
                fail(batch, e);
            }
            batch.clear();
        }
    }

    /** The batch once more, on a new connection, after its connection broke. */
    private void again(List<Pending> batch, SQLException lost) {
        try {
            answerOn(database.getConnection(), batch, false);
        } catch (SQLException | RuntimeException | Error e) {
            e.addSuppressed(lost);
            fail(batch, e);
        }
    }

    private void answerOn(Connection borrowed, List<Pending> batch, boolean drain) throws SQLException {
        try (Connection connection = borrowed) {
            inUse.add(connection);
            try {
                if (closed) {
                    throw stopping();
                }
                if (drain) {
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                answer(batch, connection);
            } finally {
                inUse.remove(connection);
            }
        }
    }

    private void answer(List<Pending> batch, Connection connection) throws SQLException {
        long[] ids = new long[batch.size()];
        long clientLsn = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = batch.get(i).productId();
            clientLsn = Math.max(clientLsn, batch.get(i).minLsn());
        }
        var byId = new HashMap<Long, GalleryJson>(ids.length * 2);
        if (freshness.reached(connection, freshness.required(ids, clientLsn))) {
            repository.findAll(connection, ids).forEach(gallery -> byId.put(gallery.productId(), gallery));
            if (freshness.enabled() && byId.size() < ids.length) {
                missingFromPrimary(ids, byId);
            }
        } else {
            fromPrimary.increment();
            try (Connection onPrimary = primary.getConnection()) {
                repository.findAll(onPrimary, ids).forEach(gallery -> byId.put(gallery.productId(), gallery));
            }
        }
        batches.increment();
        products.add(ids.length);
        for (Pending pending : batch) {
            pending.result().complete(Optional.ofNullable(byId.get(pending.productId())));
        }
    }

    /**
     * A product a replica does not have may have been created a moment ago on the primary (by a
     * client that now reads it through another instance, before that instance heard of it): the
     * primary decides. If it cannot be asked, the replica's answer stands.
     */
    private void missingFromPrimary(long[] ids, Map<Long, GalleryJson> byId) {
        long[] missing = Arrays.stream(ids).filter(id -> !byId.containsKey(id)).toArray();
        try (Connection onPrimary = primary.getConnection()) {
            repository.findAll(onPrimary, missing).forEach(gallery -> byId.put(gallery.productId(), gallery));
        } catch (SQLException e) {
            // during a failover: a 404 now, as the replica says, rather than a 503
        }
    }

    private static void fail(List<Pending> batch, Throwable failure) {
        for (Pending pending : batch) {
            pending.result().completeExceptionally(failure);
        }
    }
}
