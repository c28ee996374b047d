package fathom.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fathom's demo: trains the MLP 784-512-256-10 on Fashion-MNIST (the full set when Debian's
 * dataset-fashion-mnist is installed, else the sample shipped in the jar) with the training issue's
 * recipe, shows a progress bar, prints the test accuracy and where the model and plots went.
 * It is {@code fathom train} with these defaults.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train an MLP on Fashion-MNIST with a progress bar; print test accuracy and where model and plots went.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist or fashion-mnist-sample (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--output", defaultValue = "runs/demo", description = "Where to write the run (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of("--model", "mlp", "--data", data, "--epochs", Integer.toString(epochs),
                "--batch-size", "128", "--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--seed", Long.toString(seed),
                "--output", output));
        System.out.println("fathom demo = fathom train " + String.join(" ", args));
        return new CommandLine(new TrainCommand()).execute(args.toArray(String[]::new));
    }
}
