package com.example.images.http;

/** Records a finished request under its route template, whichever layer answered it. */
@FunctionalInterface
public interface RequestMetrics {

    void record(String method, String route, int status, long nanos);
}
