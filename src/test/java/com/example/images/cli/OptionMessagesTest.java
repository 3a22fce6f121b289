package com.example.images.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.example.images.seed.Seeder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every numeric option of {@code serve}, {@code seed} and {@code export-csv} is probed with
 * values around the usual bounds. Each value refused must be refused with a message that names
 * the option probed, names no option the command lacks, and states a range; the command must then
 * accept that range's ends and refuse the values just past them.
 */
class OptionMessagesTest {

    private static final List<Long> PROBES = List.of(-1L, 0L, 1L, 99L, 101L, 65_536L, 300_001L, 1_000_000_001L,
            (long) Integer.MAX_VALUE, 1_000_000_000_000L, Long.MAX_VALUE);
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");
    private static final Pattern BETWEEN = Pattern.compile(" must be between (-?\\d+)\\D*? and \\D*?(\\d+)\\)?, got ");
    private static final Pattern AT_LEAST = Pattern.compile(" must be (?:at least (-?\\d+)|(-?\\d+) \\(\\w+\\) or more), got ");

    /** How a command turns parsed options into what it runs with; throws on a bad value. */
    private interface Check {
        void run(Object command);
    }

    private record Command(String name, Supplier<Object> factory, List<String> required, Check check) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Command> COMMANDS = List.of(
            new Command("serve", ServeCommand::new, List.of(), c -> ((ServeCommand) c).settings()),
            new Command("seed", SeedCommand::new, List.of("--products=5"), c -> {
                var seed = (SeedCommand) c;
                new Seeder(seed.generator.plan(), seed.format, seed.replace);
            }),
            new Command("export-csv", ExportCsvCommand::new, List.of("--products=5", "--out=x"),
                    c -> ((ExportCsvCommand) c).generator.plan()));

    static Stream<Arguments> numericOptions() {
        return COMMANDS.stream().flatMap(command -> spec(command).options().stream()
                .filter(o -> Set.of(int.class, long.class, Integer.class, Long.class).contains(o.type()))
                .map(o -> Arguments.of(command, o.longestName())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("numericOptions")
    void a_refused_value_names_its_option_and_the_range_the_command_accepts(Command command, String option) {
        Set<String> names = spec(command).options().stream().flatMap(o -> Stream.of(o.names())).collect(Collectors.toSet());
        assertThat(names).contains(option);
        for (long value : PROBES) {
            Optional<String> refused = refusal(command, option, value);
            if (refused.isEmpty()) {
                continue;
            }
            String message = refused.get();
            assertThat(message).as("refusing %s %d", option, value).contains(option);
            assertThat(OPTION.matcher(message).results().map(m -> m.group())).as(message).allMatch(names::contains);
            if (!message.startsWith(option + " must")) {
                continue; // refused for another option's sake, e.g. --min-images above --max-images
            }
            assertThat(message).contains(", got " + value);
            var between = BETWEEN.matcher(message);
            var atLeast = AT_LEAST.matcher(message);
            if (between.find()) {
                long low = Long.parseLong(between.group(1));
                long high = Long.parseLong(between.group(2));
                assertThat(ownRefusal(command, option, low)).as("%s %d, the low end of: %s", option, low, message).isEmpty();
                assertThat(ownRefusal(command, option, high)).as("%s %d, the high end of: %s", option, high, message).isEmpty();
                assertThat(ownRefusal(command, option, low - 1)).as("%s %d, below: %s", option, low - 1, message).isPresent();
                assertThat(ownRefusal(command, option, high + 1)).as("%s %d, above: %s", option, high + 1, message).isPresent();
            } else if (atLeast.find()) {
                long low = Long.parseLong(atLeast.group(1) != null ? atLeast.group(1) : atLeast.group(2));
                assertThat(ownRefusal(command, option, low)).as("%s %d, the low end of: %s", option, low, message).isEmpty();
                assertThat(ownRefusal(command, option, low - 1)).as("%s %d, below: %s", option, low - 1, message).isPresent();
            } else {
                fail("'%s' states no range", message);
            }
        }
    }

    static Stream<Arguments> badWords() {
        Command serve = COMMANDS.get(0);
        Command seed = COMMANDS.get(1);
        Command export = COMMANDS.get(2);
        return Stream.of(
                Arguments.of(serve, "--host", " "),
                Arguments.of(serve, "--image-base-url", "ftp://cdn.example.com"),
                Arguments.of(serve, "--media-store", "ftp://files.example.com/media"),
                Arguments.of(serve, "--s3-endpoint", "minio:9000"),
                Arguments.of(seed, "--image-base-url", "cdn.example.com"),
                Arguments.of(seed, "--format", "csv"),
                Arguments.of(export, "--image-base-url", "javascript:alert(1)"));
    }

    @ParameterizedTest(name = "{0} {1} ''{2}''")
    @MethodSource("badWords")
    void a_refused_word_names_its_option(Command command, String option, String value) {
        Set<String> names = spec(command).options().stream().flatMap(o -> Stream.of(o.names())).collect(Collectors.toSet());

        Optional<String> refused = refusal(command, option, value);

        assertThat(refused).hasValueSatisfying(message -> assertThat(message).startsWith(option + " must"));
        assertThat(names).contains(option);
    }

    /** The message a value is refused with, if it is. */
    private static Optional<String> refusal(Command command, String option, long value) {
        return refusal(command, option, Long.toString(value));
    }

    private static Optional<String> refusal(Command command, String option, String value) {
        Object instance = command.factory().get();
        var cli = new CommandLine(instance);
        var args = new ArrayList<>(command.required().stream().filter(a -> !a.startsWith(option + "=")).toList());
        args.add(option + "=" + value);
        try {
            cli.parseArgs(args.toArray(String[]::new));
            command.check().run(instance);
            return Optional.empty();
        } catch (IllegalArgumentException | CommandLine.ParameterException e) {
            // The command's own checks throw the first; picocli's conversions (an int too large) the second.
            return Optional.of(e.getMessage());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A refusal by the option's own range check, not for another option's sake. */
    private static Optional<String> ownRefusal(Command command, String option, long value) {
        return refusal(command, option, value).filter(m -> m.startsWith(option + " must"));
    }

    private static CommandSpec spec(Command command) {
        return Main.commandLine().getSubcommands().get(command.name()).getCommandSpec();
    }
}
