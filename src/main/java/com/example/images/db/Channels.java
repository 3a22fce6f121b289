package com.example.images.db;

/**
 * The PostgreSQL LISTEN/NOTIFY channels the service listens on. The migrations' triggers write
 * the same names as SQL literals (a test checks that they match).
 */
public final class Channels {

    /** A product's gallery changed (payload: its id), or the whole catalog did (payload: {@code *}). */
    public static final String GALLERY_CHANGED = "gallery_changed";

    private Channels() {
    }
}
