package com.example.images.http;

import java.util.Collection;
import java.util.List;

/**
 * What a problem repeats back of a client's input: a list is echoed whole only while it is
 * short, otherwise as how many items it has and the first few. A 64 KB order listing 11,999
 * unknown ids got a 207 KB 422 that named each one twice.
 */
public final class Echo {

    /** The most items of one list a problem repeats. */
    public static final int MAX_ITEMS = 10;

    private Echo() {
    }

    /** The first {@link #MAX_ITEMS} items. */
    public static <T> List<T> firstFew(Collection<T> items) {
        return items.stream().limit(MAX_ITEMS).toList();
    }

    /** {@code ids [3, 4]}, or {@code 11999 ids, the first 10: [3, 4, …]} for a long list. */
    public static String list(Collection<?> items, String nouns) {
        if (items.size() <= MAX_ITEMS) {
            return nouns + " " + items;
        }
        return items.size() + " " + nouns + ", the first " + MAX_ITEMS + ": " + firstFew(items);
    }
}
