package fathom.cli;

import fathom.Rng;
import fathom.Shape;
import fathom.data.FashionMnist;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fathom summary}: a model's layers, output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Print a model's layers, output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--run", description = "Summarize the model of a trained run instead of a new one.")
    Path run;

    @Option(names = "--model", defaultValue = "mlp", description = "Model family (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--hidden", defaultValue = "512,256", split = ",", description = "MLP hidden widths (default: ${DEFAULT-VALUE}).")
    int[] hidden;

    @Override
    public Integer call() throws Exception {
        ModelSpec spec = run != null ? RunDirectory.open(run).spec() : ModelSpec.of(model, hidden, new int[] {1, 28, 28}, FashionMnist.CLASSES, false);
        int[] in = new int[spec.inputShape().length + 1];
        in[0] = 1;
        System.arraycopy(spec.inputShape(), 0, in, 1, spec.inputShape().length);
        System.out.println(spec.create(new Rng(0), null).summary(Shape.of(in)));
        return 0;
    }
}
