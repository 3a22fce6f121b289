package com.example.images.cli;

import com.example.images.catalog.CatalogRefusedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code images}: the one executable, with a subcommand per task. */
@Command(name = "images", mixinStandardHelpOptions = true, version = "images 1.0",
        description = "The product images service: galleries for 10M products on PostgreSQL.",
        subcommands = {ServeCommand.class, SeedCommand.class, ExportCsvCommand.class, DbCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        var cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + oneLine(e)));
            if (e instanceof CatalogRefusedException) {
                return ExitCodes.REFUSED;
            }
            return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.FAILED;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            var commandLine = e.getCommandLine();
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + oneLine(e)
                    + " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')"));
            return ExitCodes.USAGE;
        });
        return cli;
    }

    static String oneLine(Throwable e) {
        Throwable t = e;
        String message = t.getMessage();
        while ((message == null || message.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
