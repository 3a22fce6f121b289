package com.example.images.support;

import com.example.images.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in this JVM, capturing what it prints. */
public final class Cli {

    /** The exit code and what went to stdout and stderr. */
    public record Run(int code, String out, String err) {
        /** The last line on stderr, stripped. */
        public String lastError() {
            var lines = err.strip().lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        }
    }

    private Cli() {
    }

    public static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
