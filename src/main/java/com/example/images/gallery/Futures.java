package com.example.images.gallery;

import static com.example.images.db.SqlStates.CANNOT_CONNECT_NOW;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The read path's futures, for callers that wait: their failures come out as the exceptions they were. */
final class Futures {

    private Futures() {
    }

    /** The future's value; a {@link SQLException} it failed with is thrown as it is. */
    static <T> T await(CompletableFuture<T> future) throws SQLException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw sqlOrThrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for the database", CANNOT_CONNECT_NOW, e);
        }
    }

    /**
     * What a future failed with, unwrapped from {@link CompletionException}: returned when it is a
     * {@link SQLException}, thrown when it is unchecked.
     */
    static SQLException sqlOrThrow(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        switch (cause) {
            case SQLException sql -> {
                return sql;
            }
            case RuntimeException runtime -> throw runtime;
            case Error error -> throw error;
            default -> throw new IllegalStateException(cause);
        }
    }
}
