package com.example.images.seed;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for encoding rows: UTF-8 text, decimal numbers, big-endian integers. */
final class Bytes {

    private byte[] buf;
    private int length;

    Bytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    int length() {
        return length;
    }

    byte[] array() {
        return buf;
    }

    void clear() {
        length = 0;
    }

    Bytes write(int b) {
        ensure(1);
        buf[length++] = (byte) b;
        return this;
    }

    Bytes write(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
        return this;
    }

    /** The string as UTF-8, unescaped. */
    Bytes utf8(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return utf8Slow(s, i);
            }
            buf[length++] = (byte) c;
        }
        return this;
    }

    private Bytes utf8Slow(String s, int from) {
        return write(s.substring(from).getBytes(StandardCharsets.UTF_8));
    }

    Bytes decimal(long v) {
        if (v >= 0 && v < 10) {
            return write('0' + (int) v);
        }
        if (v == Long.MIN_VALUE) {
            return utf8(Long.toString(v));
        }
        if (v < 0) {
            write('-');
            v = -v;
        }
        int digits = 1;
        for (long t = v / 10; t > 0; t /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
        return this;
    }

    Bytes int16(int v) {
        ensure(2);
        buf[length++] = (byte) (v >>> 8);
        buf[length++] = (byte) v;
        return this;
    }

    Bytes int32(int v) {
        ensure(4);
        putInt32(length, v);
        length += 4;
        return this;
    }

    Bytes int64(long v) {
        int32((int) (v >>> 32));
        return int32((int) v);
    }

    /** Overwrites four bytes at {@code position}: for length prefixes known only afterwards. */
    void putInt32(int position, int v) {
        buf[position] = (byte) (v >>> 24);
        buf[position + 1] = (byte) (v >>> 16);
        buf[position + 2] = (byte) (v >>> 8);
        buf[position + 3] = (byte) v;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, length);
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }
}
