package com.example.images.http;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Entity-tag preconditions as RFC 9110 defines them: {@code If-None-Match} compares weakly
 * ({@code W/"x"} matches {@code "x"}), {@code If-Match} strongly (a weak tag never matches), both
 * take a comma-separated list or {@code *}, and a header sent on several lines is one list.
 */
public final class EntityTags {

    private EntityTags() {
    }

    /** Whether {@code If-None-Match} names the current {@code etag}: then a GET answers 304. */
    public static boolean noneMatch(String header, String etag) {
        return header != null && lists(header, opaque(etag), true);
    }

    /** Whether {@code If-Match} names the current strong {@code etag} (or is {@code *}). */
    public static boolean match(String header, String etag) {
        return lists(header, etag, false);
    }

    private static boolean lists(String header, String etag, boolean weak) {
        for (String tag : header.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*") || (weak ? opaque(candidate) : candidate).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** Every line of the request header {@code name} as one list, or null when it was not sent. */
    public static String header(Context ctx, String name) {
        return joined(Collections.list(ctx.req().getHeaders(name)));
    }

    /** As {@link #header(Context, String)}, for Jetty's own request headers. */
    public static String header(HttpFields fields, HttpHeader name) {
        String first = fields.get(name);
        return first == null ? null : joined(fields.getValuesList(name));
    }

    private static String joined(List<String> lines) {
        return switch (lines.size()) {
            case 0 -> null;
            case 1 -> lines.getFirst();
            default -> String.join(", ", lines);
        };
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
