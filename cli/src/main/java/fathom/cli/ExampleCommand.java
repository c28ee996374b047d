package fathom.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fathom example}: small self-contained training examples that generate their own data. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run a self-contained example: forecast (a GRU forecasting a noisy two-sine series, against the naive forecast).")
final class ExampleCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The example: forecast.")
    String name;

    @Option(names = "--epochs", description = "Training epochs (default: the example's own).")
    Integer epochs;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the data and the initialization (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (!name.equals("forecast")) {
            System.err.println("fathom example: unknown example '" + name + "'; choose forecast");
            return 2;
        }
        Forecasting.Config c = Forecasting.Config.standard();
        if (epochs != null) {
            c = new Forecasting.Config(c.length(), c.noise(), c.window(), c.hidden(), epochs, c.batchSize(), c.lr());
        }
        Forecasting.run(c, seed, System.out);
        return 0;
    }
}
