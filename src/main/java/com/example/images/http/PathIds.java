package com.example.images.http;

import java.util.regex.Pattern;

/** Parses ids from request paths: positive 64-bit integers, written plainly. */
public final class PathIds {

    private static final Pattern DIGITS = Pattern.compile("[1-9][0-9]{0,18}");
    private static final int SHOWN = 40;

    private PathIds() {
    }

    public static long parse(String name, String raw) {
        if (raw != null && DIGITS.matcher(raw).matches()) {
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException tooLarge) {
                // falls through to the error below
            }
        }
        throw ProblemException.invalidParameter(name,
                name + " must be a positive 64-bit integer (1 to 9223372036854775807), got '" + shorten(raw) + "'");
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
