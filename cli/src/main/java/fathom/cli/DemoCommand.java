package fathom.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Fathom's demo: trains the MLP 784-512-256-10 on Fashion-MNIST (the full set when Debian's
 * dataset-fashion-mnist is installed, else the sample shipped in the jar) with the training issue's
 * recipe, shows a progress bar, prints the test accuracy and where the model and plots went.
 * It is {@code fathom train} with these defaults.
 */
final class DemoCommand implements Subcommand {
    int epochs;
    String data;
    String output;
    long seed;

    @Override
    public void declare(Options o) {
        o.option("--epochs", "5", "Epochs", Options.INT, v -> epochs = v);
        o.option("--data", "fashion-mnist", "fashion-mnist or fashion-mnist-sample", Options.TEXT, v -> data = v);
        o.option("--output", "runs/demo", "Where to write the run", Options.TEXT, v -> output = v);
        o.option("--seed", "0", "Seed", Options.LONG, v -> seed = v);
    }

    @Override
    public int run() {
        List<String> args = new ArrayList<>(List.of("train", "--model", "mlp", "--data", data, "--epochs", Integer.toString(epochs),
                "--batch-size", "128", "--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--seed", Long.toString(seed),
                "--output", output));
        System.out.println("fathom demo = fathom " + String.join(" ", args));
        return Main.run(args.toArray(String[]::new));
    }
}
