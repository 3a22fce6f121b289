package com.example.images.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * HTTP/1.1 connections on which a request head (request line and headers) must arrive complete
 * within a deadline from its first byte; otherwise the client gets a 408 and the connection
 * closes. Jetty's idle timeout starts again at every byte, so a client that sent one byte of
 * its headers every 8 s held a connection for as long as it liked, and about a thousand such
 * clients would fill {@link HttpServer#MAX_CONNECTIONS}. Jetty has no such deadline of its own;
 * this hooks its HTTP/1.1 parser's own events: the start of a message and its complete header.
 */
final class HeadDeadline extends HttpConnectionFactory {

    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: " + ProblemResponder.PROBLEM_JSON
            + "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: ")
            .getBytes(StandardCharsets.US_ASCII);

    private final long deadlineNanos;
    private final RequestMetrics metrics;
    private final byte[] answer;

    HeadDeadline(HttpConfiguration configuration, Duration deadline, RequestMetrics metrics) {
        super(configuration);
        this.deadlineNanos = deadline.toNanos();
        this.metrics = metrics;
        byte[] body = ProblemResponder.json(new Problem(408, "Request Timeout", "The request line and headers did not arrive within "
                + deadline.toMillis() + " ms of their first byte."), null);
        byte[] head = (new String(TIMEOUT, StandardCharsets.US_ASCII) + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.answer = new byte[head.length + body.length];
        System.arraycopy(head, 0, answer, 0, head.length);
        System.arraycopy(body, 0, answer, head.length, body.length);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        var connection = new Deadlined(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    private final class Deadlined extends HttpConnection {

        private final Scheduler scheduler;
        private volatile boolean inHead;
        private volatile String method;
        private Scheduler.Task timer;

        Deadlined(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
            this.scheduler = connector.getScheduler();
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new RequestHandler() {
                // The parser calls this whenever it parses in its start state; a real first byte
                // takes it out of that state, so the last call is when the head began.
                @Override
                public void messageBegin() {
                    super.messageBegin();
                    method = null;
                    inHead = true;
                    arm();
                }

                @Override
                public void startRequest(String requestMethod, String uri, HttpVersion version) {
                    method = requestMethod;
                    super.startRequest(requestMethod, uri, version);
                }

                @Override
                public boolean headerComplete() {
                    disarm();
                    return super.headerComplete();
                }

                @Override
                public void badMessage(HttpException failure) {
                    disarm();
                    super.badMessage(failure);
                }

                @Override
                public void earlyEOF() {
                    disarm();
                    super.earlyEOF();
                }
            };
        }

        private synchronized void arm() {
            if (timer != null) {
                timer.cancel();
            }
            timer = scheduler.schedule(this::expired, deadlineNanos, TimeUnit.NANOSECONDS);
        }

        private synchronized void disarm() {
            inHead = false;
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }

        private void expired() {
            // Still at the start: an idle keep-alive connection, which the idle timeout looks after.
            if (!inHead || getParser().isStart()) {
                return;
            }
            inHead = false;
            metrics.record(method == null ? "" : method, JettyProblemErrorHandler.REFUSED, 408, deadlineNanos);
            EndPoint endPoint = getEndPoint();
            try {
                endPoint.write(Callback.from(endPoint::close, failure -> endPoint.close()), ByteBuffer.wrap(answer));
            } catch (RuntimeException writing) {
                endPoint.close(writing);
            }
        }
    }
}
