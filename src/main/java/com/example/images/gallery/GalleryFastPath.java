package com.example.images.gallery;

import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The hot route's adapter in Jetty's core handler chain, in front of the servlet layer: it hands
 * every request to {@link GalleryEndpoint}, which answers a gallery GET for a plainly written id,
 * and passes the rest on to the Javalin routes. A profile showed the servlet request wrappers,
 * Javalin's routing and its context to be most of a cache hit's cost (docs/bench-log/). A
 * draining instance passes everything on, so that its answers close their connections.
 */
public final class GalleryFastPath extends Handler.Wrapper {

    private final GalleryEndpoint gallery;
    private final BooleanSupplier draining;

    public GalleryFastPath(GalleryEndpoint gallery, BooleanSupplier draining) {
        this.gallery = gallery;
        this.draining = draining;
    }

    /**
     * Nothing here blocks, so Jetty may run it on the selector thread that read the request,
     * without handing it to another thread: a hit is answered at once, a miss is queued for the
     * database and answered by the thread that reads it, and only what goes on to the routes
     * gets a virtual thread of its own.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (draining.getAsBoolean() || !gallery.answer(request, response, callback)) {
            passOn(request, response, callback);
        }
        return true;
    }

    /** To the Javalin routes, on a virtual thread, as Jetty would have run them. */
    private void passOn(Request request, Response response, Callback callback) {
        Thread.startVirtualThread(() -> {
            try {
                if (!super.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                callback.failed(failure);
            }
        });
    }
}
