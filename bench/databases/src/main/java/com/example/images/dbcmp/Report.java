package com.example.images.dbcmp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results as Markdown tables, and two SVG plots drawn by string building. */
final class Report {

    private static final String[] COLOURS = {"#4285f4", "#db4437", "#0f9d58", "#f4b400"};

    private Report() {
    }

    static String markdown(Results r) {
        var b = new StringBuilder();
        b.append("Command: `").append(r.command).append("`  \n");
        b.append(String.format(Locale.ROOT, "Catalog: %,d products (+2 reorder products), --random-seed %d%n%n",
                r.products, r.seed));
        b.append("### Load\n\n| store | loaded and indexed | on disk | galleries checked against the generator |\n|---|---|---|---|\n");
        for (var s : r.stores) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f s | %.1f MB | %d |%n", s.store, s.loadSeconds,
                    s.diskBytes / 1e6, s.verified));
        }
        b.append("\n### One product's gallery by id\n\n| store | clients | ids | galleries/s | p50 | p90 | p99 | p99.9 | load avg |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (var s : r.stores) {
            for (var p : s.reads) {
                var c = p.clients();
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %s | %s | %s | %s | %.1f |%n", s.store,
                        c.threads() + c.sharing(), p.ids(), p.perSecond(), us(p.micros()[0]), us(p.micros()[1]),
                        us(p.micros()[2]), us(p.micros()[3]), p.loadAverage()));
            }
        }
        b.append("\n### Memory of the server during the reads (largest PSS)\n\n| store | memory |\n|---|---|\n");
        for (var s : r.stores) {
            b.append(String.format(Locale.ROOT, "| %s | %.0f MB |%n", s.store, s.maxServerMemory / 1e6));
        }
        b.append("\n### Writes, one client\n\n| store | operation | count | p50 | p99 |\n|---|---|---|---|---|\n");
        for (var s : r.stores) {
            for (var w : s.writes) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s |%n", s.store, w.operation(), w.count(),
                        us(w.micros()[0]), us(w.micros()[2])));
            }
        }
        b.append("\n### Consistency: " + Harness.CONCURRENT_APPENDS + " concurrent appends and one reorder on one product\n\n"
                + "| store | append | images before | appends acknowledged | images after | lost updates | reorder attempts | no duplicates |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (var s : r.stores) {
            for (var c : s.consistency) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %s |%n", s.store, c.write(),
                        c.before(), c.acknowledged(), c.present(), c.lost(), c.reorderAttempts(),
                        c.noDuplicates() ? "yes" : "no"));
            }
        }
        b.append("\n### Configuration\n\n");
        for (var s : r.stores) {
            b.append("- **").append(s.store).append("**: ").append(s.configuration).append('\n');
        }
        return b.toString();
    }

    private static String us(double micros) {
        return micros >= 10_000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000)
                : String.format(Locale.ROOT, "%.0f µs", micros);
    }

    static void plots(Results r, Path dir, String label) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("databases-latency.svg"), latencyPlot(r, label));
        Files.writeString(dir.resolve("databases-throughput.svg"), throughputPlot(r, label));
    }

    /** Latency by percentile at one client, uniform ids: log-scaled both ways. */
    static String latencyPlot(Results r, String label) {
        int w = 640, h = 400, left = 70, right = 150, top = 40, bottom = 50;
        double[] ps = Results.PERCENTILES;
        double lo = Double.MAX_VALUE, hi = 0;
        for (var s : r.stores) {
            for (var p : s.reads) {
                if (p.clients().threads() == 1 && p.ids().equals("uniform")) {
                    for (double v : p.micros()) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (hi == 0) {
            return svg(w, h, "<text x='20' y='40'>no reads measured</text>");
        }
        double yLo = Math.pow(10, Math.floor(Math.log10(lo))), yHi = Math.pow(10, Math.ceil(Math.log10(hi)));
        var body = new StringBuilder();
        body.append(text(w / 2, 22, "middle", 15, "One gallery by id, 1 client, uniform ids: latency by percentile (" + label + ")"));
        double xMax = Math.log10(1 / (1 - ps[ps.length - 1] / 100));
        for (double p : ps) {
            double x = left + (w - left - right) * Math.log10(1 / (1 - p / 100)) / xMax * 0.9 + 10;
            body.append(line(x, top, x, h - bottom, "#ddd"));
            body.append(text(x, h - bottom + 18, "middle", 12, "p" + fmt(p)));
        }
        for (double v = yLo; v <= yHi * 1.001; v *= 10) {
            double y = y(v, yLo, yHi, top, h - bottom);
            body.append(line(left, y, w - right, y, "#ddd"));
            body.append(text(left - 6, y + 4, "end", 12, v >= 1000 ? fmt(v / 1000) + " ms" : fmt(v) + " µs"));
        }
        int i = 0;
        for (var s : r.stores) {
            for (var p : s.reads) {
                if (p.clients().threads() != 1 || !p.ids().equals("uniform")) {
                    continue;
                }
                var points = new StringBuilder();
                for (int k = 0; k < ps.length; k++) {
                    double x = left + (w - left - right) * Math.log10(1 / (1 - ps[k] / 100)) / xMax * 0.9 + 10;
                    double y = y(p.micros()[k], yLo, yHi, top, h - bottom);
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    body.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>", x, y,
                            COLOURS[i % COLOURS.length]));
                }
                body.append(String.format(Locale.ROOT,
                        "<polyline points='%s' fill='none' stroke='%s' stroke-width='2'/>", points, COLOURS[i % COLOURS.length]));
                body.append(legend(w - right + 15, top + 20 + 22 * i, COLOURS[i % COLOURS.length], s.store));
                i++;
            }
        }
        body.append(text(left + (w - left - right) / 2, h - 10, "middle", 12, "percentile"));
        return svg(w, h, body.toString());
    }

    /** Galleries per second at each concurrency above one client, uniform and Zipf(1) ids, one bar per store. */
    static String throughputPlot(Results r, String label) {
        var groups = new ArrayList<Map.Entry<Harness.Clients, String>>();
        for (var s : r.stores) {
            for (var p : s.reads) {
                var key = Map.entry(p.clients(), p.ids());
                if (p.clients().threads() > 1 && !groups.contains(key)) {
                    groups.add(key);
                }
            }
        }
        int w = 220 + 110 * Math.max(4, groups.size()), h = 400, left = 70, right = 150, top = 40, bottom = 70;
        double max = 0;
        for (var s : r.stores) {
            for (var p : s.reads) {
                max = Math.max(max, p.perSecond());
            }
        }
        if (max == 0) {
            return svg(w, h, "<text x='20' y='40'>no reads measured</text>");
        }
        double step = niceStep(max / 5);
        double yMax = Math.ceil(max / step) * step;
        var body = new StringBuilder();
        body.append(text(w / 2, 22, "middle", 15, "One gallery by id: galleries per second (" + label + ")"));
        for (double v = 0; v <= yMax * 1.001; v += step) {
            double y = h - bottom - (h - top - bottom) * v / yMax;
            body.append(line(left, y, w - right, y, "#ddd"));
            body.append(text(left - 6, y + 4, "end", 12, String.format(Locale.ROOT, "%,.0f", v)));
        }
        double groupWidth = (double) (w - left - right) / groups.size();
        int n = Math.max(1, r.stores.size());
        double bar = groupWidth * 0.8 / n;
        for (int g = 0; g < groups.size(); g++) {
            var key = groups.get(g);
            double x0 = left + g * groupWidth + groupWidth * 0.1;
            for (int i = 0; i < r.stores.size(); i++) {
                var s = r.stores.get(i);
                for (var p : s.reads) {
                    if (p.clients().equals(key.getKey()) && p.ids().equals(key.getValue())) {
                        double bh = (h - top - bottom) * p.perSecond() / yMax;
                        body.append(String.format(Locale.ROOT,
                                "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>", x0 + i * bar,
                                h - bottom - bh, bar - 2, bh, COLOURS[i % COLOURS.length]));
                    }
                }
            }
            var c = key.getKey();
            body.append(text(x0 + groupWidth * 0.4, h - bottom + 18, "middle", 12,
                    c.threads() + " clients, " + (key.getValue().equals("zipf") ? "Zipf(1)" : "uniform")));
            if (c.pooled()) {
                body.append(text(x0 + groupWidth * 0.4, h - bottom + 34, "middle", 12, c.sharing().strip()));
            }
        }
        for (int i = 0; i < r.stores.size(); i++) {
            body.append(legend(w - right + 15, top + 20 + 22 * i, COLOURS[i % COLOURS.length], r.stores.get(i).store));
        }
        return svg(w, h, body.toString());
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static double y(double v, double lo, double hi, int top, int bottom) {
        return bottom - (bottom - top) * (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String svg(int w, int h, String body) {
        return "<svg xmlns='http://www.w3.org/2000/svg' width='" + w + "' height='" + h + "' viewBox='0 0 " + w + " " + h
                + "' font-family='Roboto, Helvetica, sans-serif'>\n<rect width='100%' height='100%' fill='white'/>\n"
                + body + "\n</svg>\n";
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s'/>%n", x1, y1, x2, y2, colour);
    }

    private static String text(double x, double y, String anchor, int size, String s) {
        return String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' text-anchor='%s' font-size='%d'>%s</text>%n", x, y,
                anchor, size, s.replace("&", "&amp;").replace("<", "&lt;"));
    }

    private static String legend(double x, double y, String colour, String name) {
        return String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='14' height='14' fill='%s'/>%n", x, y - 11, colour)
                + text(x + 20, y, "start", 13, name);
    }
}
