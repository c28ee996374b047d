package fathom.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The options and positional parameters of one {@code fathom} subcommand, declared in code, and the
 * parser that sets them from the command line.
 *
 * <p>A command declares each option with a setter that writes its field ({@code v -> epochs = v}). A
 * declared default is set before parsing, as picocli and argparse do, and is printed in the help. The
 * command line takes {@code --name value} and {@code --name=value}; a flag takes no value. An unknown
 * option, a missing or malformed value, an option given twice, a missing required one or a second
 * operand of an exclusive pair is a {@link UsageException} that names it.
 *
 * <p>Why not picocli, which Fathom used before: it builds its model of a command by reflection over
 * annotations, and its classes are Java 5 class files, which the JVM's AOT cache does not store. With it
 * {@code fathom train} reached its own code 0.43-0.86 s after the JVM started, with this parser 0.14-0.24 s
 * (a loaded 2-core VM, alternating runs), out of a first trained batch at 1.2-2.1 s.
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
        String label() {
            return type == null ? name : name + " <" + (type == INTS ? "int,..." : type.name()) + ">";
        }

        String helpWithDefault() {
            return defaultValue == null || defaultValue.isEmpty() ? help : help + " (default: " + defaultValue + ")";
        }
    }

    private static final String HELP = "-h, --help";

    private final String command;
    private final String description;
    private final Map<String, Declared> options = new LinkedHashMap<>();
    private final List<Declared> parameters = new ArrayList<>();
    private final List<String[]> exclusive = new ArrayList<>();
    private final Set<String> given = new LinkedHashSet<>();

    /** The options of {@code fathom command}, described by {@code description} in its help. */
    Options(String command, String description) {
        this.command = command;
        this.description = description;
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
        for (Declared d : options.values()) {
            if (d.defaultValue != null) {
                d.set.accept(d.defaultValue);
            }
        }
        int position = 0;
        boolean onlyParameters = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!onlyParameters && a.equals("--")) {
                onlyParameters = true;
            } else if (!onlyParameters && a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                Declared d = options.get(name);
                if (d == null) {
                    throw new UsageException("unknown option '" + name + "'" + suggestion(name));
                }
                if (!given.add(name)) {
                    throw new UsageException("option '" + name + "' is given twice");
                }
                if (d.type == null) {
                    if (eq >= 0) {
                        throw new UsageException("option '" + name + "' takes no value, got '" + a.substring(eq + 1) + "'");
                    }
                    d.set.accept(null);
                } else if (eq >= 0) {
                    d.set.accept(a.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    d.set.accept(args[++i]);
                } else {
                    throw new UsageException("option '" + name + "' needs a value (" + d.type.name() + ")");
                }
            } else if (position < parameters.size()) {
                parameters.get(position++).set.accept(a);
            } else {
                throw new UsageException("unexpected argument '" + a + "'");
            }
        }
        for (int p = position; p < parameters.size(); p++) {
            Declared d = parameters.get(p);
            if (d.required) {
                throw new UsageException("missing parameter " + d.name);
            }
            d.set.accept(d.defaultValue);
        }
        for (Declared d : options.values()) {
            if (d.required && !given.contains(d.name)) {
                throw new UsageException("missing required option '" + d.name + "'");
            }
        }
        for (String[] names : exclusive) {
            List<String> chosen = new ArrayList<>();
            for (String n : names) {
                if (given.contains(n)) {
                    chosen.add(n);
                }
            }
            if (chosen.size() != 1) {
                throw new UsageException((chosen.isEmpty() ? "give one of " : "give only one of ") + String.join(", ", names));
            }
        }
    }

    /** The options the command line gave, by name, in the order given. */
    Set<String> given() {
        return given;
    }

    /** The help text: usage line, description, parameters and options with their defaults. */
    String usage() {
        StringBuilder s = new StringBuilder("Usage: fathom ").append(command).append(" [options]");
        for (Declared p : parameters) {
            s.append(p.required ? " " + p.name : " [" + p.name + "]");
        }
        s.append('\n');
        wrap(s, 0, description);
        List<String> labels = new ArrayList<>(List.of(HELP));
        parameters.forEach(p -> labels.add(p.name));
        options.values().forEach(d -> labels.add(d.label()));
        int column = column(labels);
        if (!parameters.isEmpty()) {
            s.append("\nParameters:\n");
            parameters.forEach(p -> row(s, column, p.name, p.helpWithDefault()));
        }
        s.append("\nOptions:\n");
        for (Declared d : options.values()) {
            row(s, column, d.label(), (d.required ? "Required. " : "") + d.helpWithDefault());
        }
        row(s, column, HELP, "Show this help and exit.");
        return s.toString();
    }

    /** The one-line hint printed under a usage error. */
    String hint() {
        return "Run 'fathom " + command + " --help' for its options.";
    }

    /** The column help texts start in: past the longest label, but no further than 32. */
    static int column(List<String> labels) {
        int longest = 0;
        for (String l : labels) {
            longest = Math.max(longest, l.length());
        }
        return Math.min(32, longest + 4);
    }

    /** A help row: the label, then the text wrapped to 100 columns, starting at {@code column}. */
    static void row(StringBuilder s, int column, String label, String text) {
        s.append("  ").append(label);
        int at = 2 + label.length();
        if (at >= column - 1) {
            s.append('\n');
            at = 0;
        }
        s.append(" ".repeat(column - at));
        wrap(s, column, text);
    }

    /** {@code text} wrapped to 100 columns, each continuation line indented by {@code indent}, and a newline. */
    static void wrap(StringBuilder s, int indent, String text) {
        int width = 0;
        for (String word : text.split(" ")) {
            if (width > 0 && width + 1 + word.length() > 100 - indent) {
                s.append('\n').append(" ".repeat(indent));
                width = 0;
            } else if (width > 0) {
                s.append(' ');
                width++;
            }
            s.append(word);
            width += word.length();
        }
        s.append('\n');
    }

    private String suggestion(String name) {
        for (String known : options.keySet()) {
            if (known.startsWith(name) || name.startsWith(known)) {
                return " (did you mean '" + known + "'?)";
            }
        }
        return "";
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

    /** A negative number is a value, not an option. */
    private static boolean isNumber(String a) {
        return a.length() > 1 && a.charAt(0) == '-' && (Character.isDigit(a.charAt(1)) || a.charAt(1) == '.');
    }
}
