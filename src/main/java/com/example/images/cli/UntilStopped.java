package com.example.images.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a foreground command alive until SIGTERM or Ctrl-C, then closes what it runs. */
final class UntilStopped {

    private UntilStopped() {
    }

    /** Blocks until the JVM is asked to stop; the shutdown hook closes {@code running} first. */
    static void await(AutoCloseable running) throws InterruptedException {
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("error: while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        stopped.await();
    }
}
