package com.example.images.dbcmp;

import java.util.Arrays;

/** Latencies of one phase, in nanoseconds, kept whole so that any percentile is exact. */
final class Latencies {

    private long[] values = new long[1 << 16];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int count() {
        return size;
    }

    /** The percentiles asked for (e.g. 50, 99, 99.9), in microseconds. */
    double[] micros(double... percentiles) {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        double[] result = new double[percentiles.length];
        for (int i = 0; i < percentiles.length; i++) {
            if (size == 0) {
                result[i] = Double.NaN;
                continue;
            }
            int index = (int) Math.ceil(percentiles[i] / 100.0 * size) - 1;
            result[i] = sorted[Math.max(0, Math.min(size - 1, index))] / 1000.0;
        }
        return result;
    }
}
