package com.example.images.support;

import java.io.IOException;
import java.net.ServerSocket;

/** Loopback ports for servers a test starts itself. */
public final class Ports {

    private Ports() {
    }

    /** A port nothing listens on now (the OS's pick, released at once). */
    public static int free() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
