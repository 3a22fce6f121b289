package com.example.images.dbcmp;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One database with one data model: started, loaded and measured by the harness, then closed. */
public interface Store extends AutoCloseable {

    String name();

    /** Starts the server (its files under {@code dir}). */
    void start(Path dir) throws Exception;

    /** Loads the catalog with the store's own bulk path, until it is indexed and queryable. */
    void load(Catalog catalog) throws Exception;

    /** Bytes of the loaded data on disk (tables and indexes, or SSTables). */
    long diskBytes() throws Exception;

    /** Reads everything the reads touch into memory the way the store's operators would. */
    void prewarm() throws Exception;

    /** Processes of the server, for its memory. */
    List<Long> serverPids() throws Exception;

    /** How the server is configured, for the report. */
    String configuration();

    /** One client: a connection or session with its prepared statements. Not thread-safe. */
    Client client() throws Exception;

    @Override
    void close();

    /** What one client can do. Every write bumps the product's version once. */
    interface Client extends AutoCloseable {

        Optional<Gallery> gallery(long productId) throws Exception;

        /** Appends an image at the end, with the store's safe concurrent write. */
        void append(long productId, Gallery.Img image) throws Exception;

        /**
         * Appends an image at the end with the store's plain read-then-write, when it has a safer
         * one; {@link #append} otherwise.
         */
        default void appendPlain(long productId, Gallery.Img image) throws Exception {
            append(productId, image);
        }

        /** Which append {@link #appendPlain} does, or null when it is {@link #append}. */
        default String plainAppend() {
            return null;
        }

        /** Moves the first image to the end, shifting the others up. */
        void moveFirstToLast(long productId) throws Exception;

        /** Deletes the first image; the others shift up. */
        void deleteFirst(long productId) throws Exception;

        /** Writes this order if the product is still at {@code version}; false if it changed. */
        boolean reorder(long productId, long version, List<Long> imageIds) throws Exception;

        @Override
        void close();
    }
}
