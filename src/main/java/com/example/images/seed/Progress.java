package com.example.images.seed;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports rows done, rows/s and ETA while a long job runs: a redrawn bar on a terminal,
 * plain periodic lines otherwise, nothing when silent. Counting is thread-safe and cheap.
 */
public final class Progress implements AutoCloseable {

    /** How progress is shown. */
    public enum Mode { BAR, LINES, SILENT }

    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final Mode mode;
    private final String label;
    private final AtomicLong done = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private volatile long total;
    private volatile String phase = "starting";
    private volatile long countingSince;
    private volatile long countingEnded;
    private volatile long phaseSince;
    private final long startedAt = System.nanoTime();

    public Progress(PrintWriter out, Mode mode, String label, Duration interval) {
        this.out = out;
        this.mode = mode;
        this.label = label;
        if (mode == Mode.SILENT) {
            this.ticker = null;
        } else {
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                var t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            long ms = interval.toMillis();
            ticker.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** A bar every 0.2 s on a terminal, else a line every 5 s. */
    public static Progress auto(PrintWriter out, String label) {
        return isTerminal()
                ? new Progress(out, Mode.BAR, label, Duration.ofMillis(200))
                : new Progress(out, Mode.LINES, label, Duration.ofSeconds(5));
    }

    public static Progress silent() {
        return new Progress(new PrintWriter(PrintWriter.nullWriter()), Mode.SILENT, "", Duration.ZERO);
    }

    /** The rows the whole job will write; from now on rows/s and ETA are counted. */
    public void expect(long rows) {
        total = rows;
        countingSince = System.nanoTime();
    }

    /** A new step of the job; printed at once as a line unless a bar is shown. */
    public synchronized void phase(String name) {
        phase = name;
        phaseSince = System.nanoTime();
        if (mode == Mode.LINES) {
            out.println(String.format(Locale.ROOT, "%s: %s (at %.1f s)", label, name, elapsed(startedAt)));
            out.flush();
        }
    }

    public void add(long rows) {
        if (done.addAndGet(rows) >= total && total > 0) {
            countingEnded = System.nanoTime();
        }
    }

    public long done() {
        return done.get();
    }

    /** Seconds since the job started. */
    public double elapsedSeconds() {
        return elapsed(startedAt);
    }

    private synchronized void report() {
        if (mode == Mode.SILENT) {
            return;
        }
        String line = line();
        if (mode == Mode.BAR) {
            out.print("\r" + line + "\033[K");
        } else {
            out.println(label + ": " + line);
        }
        out.flush();
    }

    private String line() {
        long rows = done.get();
        long all = total;
        if (all <= 0) {
            return phase + " " + clock(elapsed(phaseSince == 0 ? startedAt : phaseSince));
        }
        double seconds = countingEnded != 0 ? (countingEnded - countingSince) / 1e9 : elapsed(countingSince);
        double rate = seconds > 0 ? rows / seconds : 0;
        double fraction = Math.min(1.0, (double) rows / all);
        var sb = new StringBuilder();
        if (mode == Mode.BAR) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
        }
        sb.append(String.format(Locale.ROOT, "%3.0f%% %,d/%,d rows, %,.0f rows/s", fraction * 100, rows, all, rate));
        if (rows < all) {
            sb.append(", ETA ").append(rate > 0 ? clock((all - rows) / rate) : "?");
        }
        sb.append(" · ").append(phase);
        if (rows >= all) {
            sb.append(' ').append(clock(elapsed(phaseSince)));
        }
        return sb.toString();
    }

    /** Stops reporting and leaves the terminal on a fresh line. */
    @Override
    public synchronized void close() {
        if (ticker != null && !ticker.isShutdown()) {
            ticker.shutdownNow();
            if (mode == Mode.BAR) {
                out.print("\r" + line() + "\033[K\n");
                out.flush();
            }
        }
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static double elapsed(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    // JDK 22+ returns a Console even when redirected; isTerminal() tells (absent on 21, where null means "not a terminal").
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
