package com.example.images.catalog;

/** Escaping for PostgreSQL's COPY text format. */
public final class CopyText {

    private CopyText() {
    }

    /** Appends {@code value} escaped for COPY text format; null becomes {@code \N}. */
    public static StringBuilder append(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }
}
