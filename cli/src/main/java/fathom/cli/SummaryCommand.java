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

    @Option(names = "--model", defaultValue = "mlp", description = "Model family: mlp, lenet, vgg or resnet, for Fashion-MNIST's [1, 28, 28] (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--hidden", defaultValue = "512,256", split = ",", description = "MLP hidden widths (default: ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--width", defaultValue = "0", description = "First-stage channels of vgg (default 32) or resnet (default 64).")
    int width;

    @Option(names = "--blocks", split = ",", description = "Basic blocks per resnet stage (default: 2,2,2,2).")
    int[] blocks;

    @Override
    public Integer call() throws Exception {
        ModelSpec spec = run != null ? RunDirectory.open(run).spec() : ModelSpec.of(model, hidden, width, blocks, new int[] {1, 28, 28}, FashionMnist.CLASSES, false);
        int[] in = new int[spec.inputShape().length + 1];
        in[0] = 1;
        System.arraycopy(spec.inputShape(), 0, in, 1, spec.inputShape().length);
        System.out.println(spec.create(new Rng(0), null).summary(Shape.of(in)));
        return 0;
    }
}
