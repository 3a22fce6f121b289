package com.example.images.media;

/**
 * Processing an accepted image failed (libvips refused it, or it ran past its time limit): the
 * image becomes 'failed' with this message as its reason. The message names no server path.
 */
public final class ProcessingException extends Exception {

    public ProcessingException(String message) {
        super(message);
    }

    public ProcessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
