package com.example.images.dbcmp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Process trees and their memory, from /proc. */
final class Processes {

    private Processes() {
    }

    static List<Long> withChildren(long pid) {
        var pids = new ArrayList<Long>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    /**
     * Proportional set size of these processes together, in bytes: shared memory (PostgreSQL's
     * shared buffers) counts once in total, not once per backend as RSS would.
     */
    static long pss(List<Long> pids) {
        long kb = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // a backend that exited meanwhile
            }
        }
        return kb * 1024;
    }
}
