package com.example.images.app;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the composition root started, closed in reverse order: by a start that fails half way
 * and by {@link Application#close()} alike. A resource that fails to close does not keep the
 * ones started before it open; closing twice is harmless.
 */
final class Closer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** {@code resource}, to be closed before everything added earlier. */
    synchronized <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable resource = started.poll(); resource != null; resource = started.poll()) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Could not close {}: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
