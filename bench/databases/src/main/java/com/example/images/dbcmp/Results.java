package com.example.images.dbcmp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one run measured, per store, for the report. */
final class Results {

    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    /**
     * One read phase: its clients (and the connections they share), id distribution, throughput, latency percentiles (µs), and the
     * machine's 1-minute load average at its end, so that a reader sees what else was running.
     */
    record ReadPhase(Harness.Clients clients, String ids, long reads, double seconds, double[] micros,
                     double loadAverage) {
        double perSecond() {
            return reads / seconds;
        }
    }

    /** One write operation's latencies (µs) at one client. */
    record WritePhase(String operation, int count, double[] micros) {
    }

    /** 40 concurrent appends and one reorder on one product. */
    record Consistency(String write, int before, int acknowledged, int present, int lost, int reorderAttempts,
                       boolean noDuplicates) {
    }

    static final class StoreResult {
        final String store;
        String configuration = "";
        double loadSeconds;
        long diskBytes;
        long maxServerMemory;
        int verified;
        final List<ReadPhase> reads = new ArrayList<>();
        final List<WritePhase> writes = new ArrayList<>();
        final List<Consistency> consistency = new ArrayList<>();
        final Map<Long, Gallery> afterWrites = new LinkedHashMap<>();

        StoreResult(String store) {
            this.store = store;
        }
    }

    final String command;
    final long products;
    final long seed;
    final List<StoreResult> stores = new ArrayList<>();

    Results(String command, long products, long seed) {
        this.command = command;
        this.products = products;
        this.seed = seed;
    }
}
