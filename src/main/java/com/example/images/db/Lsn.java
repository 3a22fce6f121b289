package com.example.images.db;

/**
 * A PostgreSQL WAL position ({@code pg_lsn}) as a long, and its text form {@code 16/B374D848}
 * (the high and low 32 bits in hexadecimal), which is what clients see in {@code X-Commit-LSN}.
 */
public final class Lsn {

    /** Selects the value of a {@code pg_lsn} expression as a bigint: {@code SELECT ... FROM ...}. */
    static String asBigint(String expression) {
        return "(" + expression + " - '0/0'::pg_lsn)::bigint";
    }

    private Lsn() {
    }

    /** The position written as {@code 16/B374D848}. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase();
    }

    /** Parses {@code 16/B374D848}; an {@link IllegalArgumentException} says what is wrong. */
    public static long parse(String text) {
        String value = text == null ? "" : text.strip();
        if (!value.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
            throw new IllegalArgumentException("a WAL position is two hexadecimal numbers of up to 8 digits, "
                    + "such as 16/B374D848, got '" + value + "'");
        }
        int slash = value.indexOf('/');
        return Long.parseLong(value.substring(0, slash), 16) << 32 | Long.parseLong(value.substring(slash + 1), 16);
    }
}
