package com.example.images.http;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %msg} of every log line, cut at {@value #MAX_CHARS} characters as the access log
 * cuts paths and methods: Jetty's own WARN lines quote what a client sent, and a
 * {@code Host: a:} header with 30,000 nines wrote a 30 KB line, with no token needed.
 */
public final class CutLogMessage extends ClassicConverter {

    static final int MAX_CHARS = 1000;

    @Override
    public String convert(ILoggingEvent event) {
        return AccessLog.cut(event.getFormattedMessage(), MAX_CHARS);
    }
}
