package fathom.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;

/**
 * The options and positional parameters of one {@code fathom} subcommand, declared in code, each bound to
 * a setter of the command's field ({@code v -> epochs = v}); Apache Commons CLI parses the command line
 * and formats the help.
 *
 * <p>A declared default is set before parsing, as picocli and argparse do, and is printed in the help.
 * The command line takes {@code --name value} and {@code --name=value}; a flag takes no value. An unknown
 * option, a missing or malformed value, an option given twice, a missing required one or the wrong count
 * of an exclusive set is a {@link UsageException} that names it.
 *
 * <p>Why Commons CLI and not picocli, which Fathom used before: picocli builds its model of a command by
 * reflection over annotations, and its jar is Java 5 class files, which the JVM's AOT cache does not
 * store. With it {@code fathom train} reached its own code 0.41-0.86 s after the JVM started; Commons
 * CLI is Java 8 class files with a programmatic API, and the same point came at 0.12-0.24 s (a loaded
 * 2-core VM, alternating runs), out of a first trained batch at 1.2-2.1 s.
 */
final class Options {
    /** How an option's text becomes a value; {@code name} is what an error calls a bad one. */
    record Type<T>(String name, Function<String, T> parse) {}

    static final Type<String> TEXT = new Type<>("text", s -> s);
    static final Type<Integer> INT = new Type<>("int", Integer::valueOf);
    static final Type<Long> LONG = new Type<>("long", Long::valueOf);
    static final Type<Double> NUMBER = new Type<>("number", Double::valueOf);
    static final Type<Path> PATH = new Type<>("path", Path::of);
    static final Type<int[]> INTS = new Type<>("comma-separated list of ints", Options::ints);

    /** One option or positional parameter: {@code type} is null for a flag. */
    private record Declared(String name, Type<?> type, String defaultValue, boolean required, String help, Consumer<String> set) {
        String helpWithDefault() {
            return defaultValue == null || defaultValue.isEmpty() ? help : help + " (default: " + defaultValue + ")";
        }
    }

    private final String command;
    private final String description;
    private final org.apache.commons.cli.Options cli = new org.apache.commons.cli.Options();
    private final Map<String, Declared> options = new LinkedHashMap<>();
    private final List<Declared> parameters = new ArrayList<>();
    private final List<String[]> exclusive = new ArrayList<>();
    private final Set<String> given = new LinkedHashSet<>();

    /** The options of {@code fathom command}, described by {@code description} in its help. */
    Options(String command, String description) {
        this.command = command;
        this.description = description;
        cli.addOption(Option.builder("h").longOpt("help").desc("Show this help and exit.").build());
    }

    /** An option that takes a value; {@code defaultValue} (null for none) is set before parsing. */
    <T> void option(String name, String defaultValue, String help, Type<T> type, Consumer<T> setter) {
        declare(new Declared(name, type, defaultValue, false, help, text -> setter.accept(convert(name, type, text))));
    }

    /** An option that must be given. */
    <T> void required(String name, String help, Type<T> type, Consumer<T> setter) {
        declare(new Declared(name, type, null, true, help, text -> setter.accept(convert(name, type, text))));
    }

    /** An option without a value: {@code setter} runs when it is given. */
    void flag(String name, String help, Runnable setter) {
        declare(new Declared(name, null, null, false, help, text -> setter.run()));
    }

    /** The next positional parameter; with a null {@code defaultValue} it must be given. */
    <T> void parameter(String label, String defaultValue, String help, Type<T> type, Consumer<T> setter) {
        String name = "<" + label + ">";
        parameters.add(new Declared(name, type, defaultValue, defaultValue == null, help, text -> setter.accept(convert(name, type, text))));
    }

    /** Exactly one of these declared options must be given. */
    void exactlyOne(String... names) {
        exclusive.add(names);
    }

    private void declare(Declared d) {
        if (!d.name.startsWith("--") || options.putIfAbsent(d.name, d) != null) {
            throw new IllegalStateException("fathom " + command + " declares option " + d.name + " twice, or without its leading --");
        }
        Option.Builder b = Option.builder().longOpt(d.name.substring(2)).desc((d.required ? "Required. " : "") + d.helpWithDefault());
        if (d.type != null) {
            b.hasArg().argName(d.type == INTS ? "int,..." : d.type.name());
        }
        cli.addOption(b.build());
    }

    /** True when {@code args} ask for help ({@code -h}, {@code --help}) before any {@code --}. */
    static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("-h") || a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    /** Sets every default, then every option and parameter {@code args} give. */
    void parse(String[] args) {
        CommandLine line;
        try {
            line = DefaultParser.builder().setAllowPartialMatching(false).build().parse(cli, args);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
        for (Declared d : options.values()) {
            if (d.defaultValue != null) {
                d.set.accept(d.defaultValue);
            }
        }
        for (Option o : line.getOptions()) {
            String name = "--" + o.getLongOpt();
            if (!given.add(name)) {
                throw new UsageException("option '" + name + "' is given twice");
            }
            options.get(name).set.accept(o.getValue());
        }
        List<String> values = line.getArgList();
        if (values.size() > parameters.size()) {
            throw new UsageException("unexpected argument '" + values.get(parameters.size()) + "'");
        }
        for (int p = 0; p < parameters.size(); p++) {
            Declared d = parameters.get(p);
            if (p < values.size()) {
                d.set.accept(values.get(p));
            } else if (d.required) {
                throw new UsageException("missing parameter " + d.name);
            } else {
                d.set.accept(d.defaultValue);
            }
        }
        for (Declared d : options.values()) {
            if (d.required && !given.contains(d.name)) {
                throw new UsageException("missing required option '" + d.name + "'");
            }
        }
        for (String[] names : exclusive) {
            long chosen = Arrays.stream(names).filter(given::contains).count();
            if (chosen != 1) {
                throw new UsageException((chosen == 0 ? "give one of " : "give only one of ") + String.join(", ", names));
            }
        }
    }

    /** The options the command line gave, by name, in the order given. */
    Set<String> given() {
        return given;
    }

    /** The help text: usage line, description, parameters and options with their defaults, in declaration order. */
    String usage() {
        StringBuilder syntax = new StringBuilder("fathom ").append(command).append(" [options]");
        StringBuilder footer = new StringBuilder();
        for (Declared p : parameters) {
            syntax.append(p.required ? " " + p.name : " [" + p.name + "]");
            footer.append(p.name).append(": ").append(p.helpWithDefault()).append('\n');
        }
        HelpFormatter f = new HelpFormatter();
        f.setOptionComparator(null);
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            f.printHelp(w, 100, syntax.toString(), description + "\n\n", cli, 2, 3, footer.isEmpty() ? null : "\n" + footer);
        }
        return out.toString();
    }

    /** The one-line hint printed under a usage error. */
    String hint() {
        return "Run 'fathom " + command + " --help' for its options.";
    }

    private static <T> T convert(String name, Type<T> type, String text) {
        try {
            return type.parse().apply(text);
        } catch (RuntimeException e) {
            throw new UsageException("invalid value for " + name + " (" + type.name() + "): '" + text + "'");
        }
    }

    private static int[] ints(String text) {
        String[] parts = text.split(",");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Integer.parseInt(parts[i].trim());
        }
        return v;
    }
}
