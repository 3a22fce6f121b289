package com.example.images.media;

/**
 * An upload refused for what its bytes are, before anything is stored. The reason carries the
 * HTTP status it answers with (415: not an image type we take; 422: an image we cannot use).
 */
public final class ImageRejectedException extends Exception {

    /** Why the bytes were refused. */
    public enum Reason {
        EMPTY(422),
        UNKNOWN_FORMAT(415),
        SVG(415),
        HTML(415),
        POLYGLOT(415),
        HEIC(415),
        CONTENT_TYPE_MISMATCH(415),
        TRUNCATED(422),
        TOO_MANY_PIXELS(422),
        UNREADABLE(422);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        /** The HTTP status an upload refused for this reason answers with. */
        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
