package fathom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fathom} command line. */
@Command(name = "fathom", mixinStandardHelpOptions = true, version = "fathom 0.1.0",
        description = "Deep learning for the JVM, in pure Java.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class, SummaryCommand.class, ShowCommand.class,
            SampleCommand.class, ExampleCommand.class, BenchCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
