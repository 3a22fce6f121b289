package com.example.images.seed;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Generator threads that produce numbered pieces of work in parallel and hand them back
 * in order. At most a small window of pieces is in flight, so memory stays bounded
 * whatever the number of pieces.
 */
final class Workers implements AutoCloseable {

    /** What the caller does with each piece, in order; it may fail with any exception. */
    @FunctionalInterface
    interface Sink<T> {
        void accept(T piece) throws Exception;
    }

    private final int jobs;
    private final ExecutorService pool;

    /** {@code jobs} comes from a {@link SeedPlan}, which has checked it. */
    Workers(int jobs) {
        this.jobs = jobs;
        var n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(jobs, r -> {
            var t = new Thread(r, "seed-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int jobs() {
        return jobs;
    }

    /** Runs {@code work} for 0..pieces-1 on the workers and gives each result to {@code sink}, in order. */
    <T> void inOrder(int pieces, IntFunction<T> work, Sink<T> sink) throws Exception {
        var window = new ArrayDeque<Future<T>>();
        int limit = 2 * jobs + 2;
        int next = 0;
        try {
            while (next < pieces && window.size() < limit) {
                int piece = next++;
                window.add(pool.submit(() -> work.apply(piece)));
            }
            while (!window.isEmpty()) {
                T result = get(window.poll());
                if (next < pieces) {
                    int piece = next++;
                    window.add(pool.submit(() -> work.apply(piece)));
                }
                sink.accept(result);
            }
        } finally {
            window.forEach(f -> f.cancel(true));
        }
    }

    private static <T> T get(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
