package fathom.cli;


/** {@code fathom example}: small self-contained training examples that generate their own data. */
final class ExampleCommand implements Subcommand {
    String name;
    Integer epochs;
    long seed;

    @Override
    public void declare(Options o) {
        o.parameter("example", null, "The example: forecast.", Options.TEXT, v -> name = v);
        o.option("--epochs", null, "Training epochs (default: the example's own).", Options.INT, v -> epochs = v);
        o.option("--seed", "0", "Seed of the data and the initialization", Options.LONG, v -> seed = v);
    }

    @Override
    public int run() {
        if (!name.equals("forecast")) {
            throw new UsageException("unknown example '" + name + "'; choose forecast");
        }
        Forecasting.Config c = Forecasting.Config.standard();
        if (epochs != null) {
            c = new Forecasting.Config(c.length(), c.noise(), c.window(), c.hidden(), epochs, c.batchSize(), c.lr());
        }
        Forecasting.run(c, seed, System.out);
        return 0;
    }
}
