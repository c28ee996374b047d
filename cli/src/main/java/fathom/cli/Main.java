package fathom.cli;

import fathom.cpu.KernelWarmup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fathom} command line.
 *
 * <p>Subcommands are registered in code, and a run that names one registers only that one: picocli
 * reads every registered command's annotations by reflection before it parses anything, which took
 * about 0.4 s of start-up for all ten (interpreted code, before the JIT), and start-up counts towards
 * the time to the first trained batch. Help, versions and unknown names get all of them.
 */
@Command(name = "fathom", mixinStandardHelpOptions = true, version = "fathom 0.1.0",
        description = "Deep learning for the JVM, in pure Java.")
public final class Main {
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("demo", DemoCommand::new);
        SUBCOMMANDS.put("train", TrainCommand::new);
        SUBCOMMANDS.put("eval", EvalCommand::new);
        SUBCOMMANDS.put("predict", PredictCommand::new);
        SUBCOMMANDS.put("summary", SummaryCommand::new);
        SUBCOMMANDS.put("show", ShowCommand::new);
        SUBCOMMANDS.put("sample", SampleCommand::new);
        SUBCOMMANDS.put("example", ExampleCommand::new);
        SUBCOMMANDS.put("bench", BenchCommand::new);
        SUBCOMMANDS.put("info", InfoCommand::new);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("train") || args[0].equals("demo"))) {
            // the JIT compiles the matmul on the other core while this one parses arguments and reads data
            KernelWarmup.startInBackground();
        }
        System.exit(commandLine(args).execute(args));
    }

    /** The command line for {@code args}: only the subcommand they name, or every subcommand when they name none. */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        boolean one = args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !"help".equals(args[0]);
        SUBCOMMANDS.forEach((name, make) -> {
            if (!one || name.equals(args[0])) {
                cl.addSubcommand(name, make.get());
            }
        });
        return cl;
    }
}
