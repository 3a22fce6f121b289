package com.example.images.support;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition on another thread, process or server until it holds. */
public final class Await {

    private Await() {
    }

    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        until(what, timeout, condition, () -> "");
    }

    /** As {@link #until(String, Duration, Condition)}, with {@code context} (a log, say) in the failure. */
    public static void until(String what, Duration timeout, Condition condition, Callable<String> context)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what + "\n"
                        + context.call());
            }
            Thread.sleep(20);
        }
    }
}
