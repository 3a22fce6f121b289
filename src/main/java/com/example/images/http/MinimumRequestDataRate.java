package com.example.images.http;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * A request body must average {@code bytesPerSecond} from when the route first asks for it,
 * checked each time the route waits for more once {@code grace} has passed; slower, the next read
 * fails with a {@link TimeoutException}, which the route answers with a 408. Jetty's own
 * {@code MinimumDataRateHandler} (12.1.13) does the same with the bytes that every request has
 * read since the server started, so after a few hundred kilobytes of traffic it never fired: a
 * body dripped a byte at a time held its connection past 15 s. The grace spares a client whose
 * first packet is small and whose next one is a round trip away.
 */
public final class MinimumRequestDataRate extends Handler.Wrapper {

    private static final String BODY_REQUESTED = MinimumRequestDataRate.class.getName() + ".bodyRequested";

    private final long bytesPerSecond;
    private final long graceNanos;

    public MinimumRequestDataRate(long bytesPerSecond, Duration grace) {
        this.bytesPerSecond = bytesPerSecond;
        this.graceNanos = grace.toNanos();
    }

    /** Whether the route has asked for the request's body (Jetty then sent any {@code 100 Continue}). */
    static boolean bodyRequested(jakarta.servlet.ServletRequest request) {
        return request.getAttribute(BODY_REQUESTED) != null;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new Metered(request), response, callback);
    }

    private final class Metered extends Request.Wrapper {
        private long firstAsked;
        private long bytes;
        private Content.Chunk failure;

        Metered(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (failure != null) {
                return failure;
            }
            asked(NanoTime.now());
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                bytes += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            long now = NanoTime.now();
            asked(now);
            long elapsed = now - firstAsked;
            if (elapsed >= graceNanos && bytes * 1_000_000_000L / Math.max(elapsed, 1) < bytesPerSecond) {
                failure = Content.Chunk.from(new TimeoutException("the request body arrived under " + bytesPerSecond + " bytes a second"));
                demandCallback.run();
                return;
            }
            super.demand(demandCallback);
        }

        private void asked(long now) {
            if (firstAsked == 0) {
                firstAsked = now == 0 ? 1 : now;
                setAttribute(BODY_REQUESTED, Boolean.TRUE);
            }
        }
    }
}
