package com.example.images.gallery;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lets a product into a full cache only on its second miss within a while (TinyLFU's
 * "doorkeeper"): a lossy table that remembers, per slot, the last product id that missed there.
 * Ids that are asked for once then never displace cached entries. Without it, uniform reads over
 * 10M products put about every other miss into the cache, where each entry aged into the old
 * generation and died there: a 100-150 ms full GC every 6-13 s at 5,000 req/s.
 */
final class Doorkeeper {

    private final AtomicLongArray lastIds;
    private final int mask;

    /** @param slots rounded up to a power of two; more slots remember ids for longer */
    Doorkeeper(int slots) {
        int size = Integer.highestOneBit(Math.max(2, slots - 1)) << 1;
        this.lastIds = new AtomicLongArray(size);
        this.mask = size - 1;
    }

    /** Whether {@code id} missed recently; if not, remembers it in place of its slot's last id. */
    boolean admits(long id) {
        int slot = (int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        // Stored plus one, so that an empty slot (0) never matches; lost races only forget an id.
        if (lastIds.getOpaque(slot) == id + 1) {
            return true;
        }
        lastIds.setOpaque(slot, id + 1);
        return false;
    }

    int slots() {
        return mask + 1;
    }
}
