package com.example.images.db;

import java.sql.SQLException;
import java.sql.SQLTransientException;

/** The SQLSTATE codes the service acts on (PostgreSQL's Appendix A), in one place. */
public final class SqlStates {

    /** "cannot connect now": the server is not accepting work. The service answers it with a 503. */
    public static final String CANNOT_CONNECT_NOW = "57P03";

    /** Class 08, connection exceptions: the connection could not be made or was lost. */
    static final String CONNECTION_EXCEPTION = "08";
    /** Class 57, operator intervention: shutdowns, and statements cancelled by their timeout. */
    static final String OPERATOR_INTERVENTION = "57";
    /** Class 40, transaction rollback: serialization failures and deadlocks. */
    static final String TRANSACTION_ROLLBACK = "40";
    static final String ADMIN_SHUTDOWN = "57P01";
    static final String CRASH_SHUTDOWN = "57P02";
    static final String TOO_MANY_CONNECTIONS = "53300";
    /** A lock timeout ({@code lock_timeout}, {@code NOWAIT}). */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private SqlStates() {
    }

    /**
     * The connection broke or its server is going away (class 08; 57P01 and 57P02, an administrator's
     * or a crash's shutdown): the same work may succeed on a new connection, to another node.
     */
    public static boolean isConnectionLost(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith(CONNECTION_EXCEPTION) || state.equals(ADMIN_SHUTDOWN) || state.equals(CRASH_SHUTDOWN)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Connection failures, pool timeouts, statement and lock timeouts, serialization failures,
     * deadlocks and shutdowns: worth a retry, so a request gets a 503 with {@code Retry-After}.
     */
    public static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith(CONNECTION_EXCEPTION) || state.startsWith(OPERATOR_INTERVENTION)
                        || state.equals(TOO_MANY_CONNECTIONS) || state.startsWith(TRANSACTION_ROLLBACK)
                        || state.equals(LOCK_NOT_AVAILABLE)) {
                    return true;
                }
            }
        }
        return false;
    }
}
