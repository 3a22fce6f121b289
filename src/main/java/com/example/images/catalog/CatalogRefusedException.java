package com.example.images.catalog;

/**
 * The database holds a catalog that a command refuses to touch or to serve; the message
 * says what to do instead. The command line exits with {@code ExitCodes.REFUSED}.
 */
public final class CatalogRefusedException extends RuntimeException {

    public CatalogRefusedException(String message) {
        super(message);
    }
}
