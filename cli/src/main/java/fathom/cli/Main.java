package fathom.cli;

import fathom.cpu.KernelWarmup;
import fathom.data.DataLoaderException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.cli.HelpFormatter;

/**
 * The {@code fathom} command line: {@code fathom <command> [options]}, {@code fathom help <command>},
 * {@code fathom --help} and {@code fathom --version}.
 *
 * <p>Exit codes: 0 on success, 1 when a command fails, 2 for a command line it cannot parse. A failure
 * with a message meant for the user (bad input: a missing file, a wrong shape, an unknown name) prints
 * that message on one line; any other exception, a bug, prints its stack trace.
 */
public final class Main {
    static final String VERSION = "fathom 0.1.0";

    /** A subcommand as the top-level help lists it. */
    private record Entry(String description, Supplier<Subcommand> make) {}

    private static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("demo", new Entry("Train an MLP on Fashion-MNIST with a progress bar; print test accuracy and where model and plots went.", DemoCommand::new));
        COMMANDS.put("train", new Entry("Train a classifier (writes model, checkpoint, log, plots and a test report to --output), or with --text a language model.", TrainCommand::new));
        COMMANDS.put("eval", new Entry("Evaluate a trained run on the test split.", EvalCommand::new));
        COMMANDS.put("predict", new Entry("Classify one image (a file, or an index into the test split).", PredictCommand::new));
        COMMANDS.put("summary", new Entry("Print a model's layers, output shapes and parameter counts.", SummaryCommand::new));
        COMMANDS.put("show", new Entry("Write predictions.png (test images with predicted and true classes, wrong ones in red) and filters.png"
                + " (the first convolution's filters) for a trained run.", ShowCommand::new));
        COMMANDS.put("sample", new Entry("Generate text from a language model trained with 'fathom train --text'.", SampleCommand::new));
        COMMANDS.put("example", new Entry("Run a self-contained example: forecast (a GRU forecasting a noisy two-sine series, against the naive forecast).", ExampleCommand::new));
        COMMANDS.put("bench", new Entry("Measure throughput: matmul (GFLOP/s and % of peak), elementwise (GB/s), overhead (ns per small op), mlp and lenet (samples/s), lstm and gpt (training tokens/s; GPT generation tokens/s).", BenchCommand::new));
        COMMANDS.put("info", new Entry("Show the backend, threads, vector width, matmul tile and measured FP32 peak.", InfoCommand::new));
    }

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("train") || args[0].equals("demo"))) {
            // the JIT compiles the matmul's vector kernels on the other core; products run their scalar twins until then
            KernelWarmup.startInBackground();
        }
        System.exit(run(args));
    }

    /** Runs {@code fathom args} and returns its exit code. */
    static int run(String... args) {
        if (args.length == 0) {
            System.err.print(usage());
            return 2;
        }
        String first = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (first) {
            case "-h", "--help" -> {
                System.out.print(usage());
                return 0;
            }
            case "-V", "--version" -> {
                System.out.println(VERSION);
                return 0;
            }
            case "help" -> {
                if (rest.length == 0) {
                    System.out.print(usage());
                    return 0;
                }
                return run(rest[0], "--help");
            }
            default -> {
                Entry e = COMMANDS.get(first);
                if (e == null) {
                    System.err.println("fathom: unknown command '" + first + "'");
                    System.err.print(usage());
                    return 2;
                }
                return execute(first, e, rest);
            }
        }
    }

    private static int execute(String name, Entry e, String[] args) {
        Subcommand command = e.make().get();
        Options options = new Options(name, e.description());
        command.declare(options);
        if (Options.wantsHelp(args)) {
            System.out.print(options.usage());
            return 0;
        }
        try {
            options.parse(args);
            return command.run();
        } catch (UsageException u) {
            System.err.println("fathom " + name + ": " + u.getMessage());
            System.err.println(options.hint());
            return 2;
        } catch (Exception | Error x) {
            return failed(name, x);
        }
    }

    /** Reports a failed command: the message of an error meant for the user, or the stack trace of a bug. */
    private static int failed(String name, Throwable x) {
        Throwable shown = (x instanceof UncheckedIOException || x instanceof DataLoaderException) && x.getCause() != null ? x.getCause() : x;
        boolean forUser = shown instanceof IOException || shown instanceof IllegalArgumentException
                || shown instanceof IllegalStateException || shown instanceof ArithmeticException;
        if (forUser && shown.getMessage() != null) {
            System.err.println("fathom " + name + ": " + shown.getMessage() + " (" + shown.getClass().getSimpleName() + ")");
        } else {
            x.printStackTrace();
        }
        return 1;
    }

    /** The top-level help: every command with its description. */
    static String usage() {
        HelpFormatter f = new HelpFormatter();
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            w.println("Usage: fathom <command> [options]");
            w.println("Deep learning for the JVM, in pure Java.");
            w.println();
            w.println("Commands:");
            COMMANDS.forEach((name, e) -> f.printWrapped(w, 100, 12, String.format("  %-9s %s", name, e.description())));
            f.printWrapped(w, 100, 12, String.format("  %-9s %s", "help", "Show a command's options: fathom help <command> (or fathom <command> --help)."));
            w.println();
            w.println("Options:");
            w.println("  -h, --help       Show this help and exit.");
            w.println("  -V, --version    Print the version and exit.");
        }
        return out.toString();
    }
}
