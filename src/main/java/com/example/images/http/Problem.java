package com.example.images.http;

import java.util.Map;

/**
 * An RFC 9457 problem: the body of every error response.
 *
 * @param status the HTTP status
 * @param title  a short summary, the same for every occurrence of this kind of problem
 * @param detail what went wrong this time, in words a client developer can act on
 * @param extra  further members, such as the offending field, or headers to send
 */
public record Problem(int status, String title, String detail, Map<String, Object> extra) {

    public Problem {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public Problem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }
}
