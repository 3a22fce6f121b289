package com.example.images.http;

/** Parses ids from request paths: positive 64-bit integers, written plainly. */
public final class PathIds {

    private static final int MAX_DIGITS = 19;
    private static final int SHOWN = 40;

    private PathIds() {
    }

    public static long parse(String name, String raw) {
        long id = raw == null ? -1 : valueOf(raw, 0, raw.length());
        if (id > 0) {
            return id;
        }
        throw ProblemException.invalidParameter(name,
                name + " must be a positive 64-bit integer (1 to 9223372036854775807), got '" + shorten(raw) + "'");
    }

    /**
     * The id written in {@code text[start, end)} as plain digits without a leading zero that fit
     * a long, or -1 for anything else. No allocation: the gallery fast path calls it per request.
     */
    public static long valueOf(CharSequence text, int start, int end) {
        int digits = end - start;
        if (digits < 1 || digits > MAX_DIGITS || text.charAt(start) == '0') {
            return -1;
        }
        long id = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            id = id * 10 + (c - '0');
            if (id < 0) {
                return -1; // past Long.MAX_VALUE: 19 digits wrap at most once, to a negative
            }
        }
        return id;
    }

    private static String shorten(String raw) {
        if (raw == null) {
            return "";
        }
        String printable = raw.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() <= SHOWN ? printable : printable.substring(0, SHOWN) + "… (" + raw.length() + " characters)";
    }
}
