package fathom.cli;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensors;
import fathom.data.FashionMnist;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fathom summary}: a model's layers, output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Print a model's layers, output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--run", description = "Summarize the model of a trained run (a classifier, or a language model trained with --text) instead of a new one.")
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
        if (run != null && TextModel.isTextRun(run)) {
            TextModel.Run lm = TextModel.open(run);
            // one window of token indices, as the model trains on
            System.out.println(lm.model().summary(Tensors.zeros(Shape.of(1, lm.spec().seqLen()), DType.INT64)));
            return 0;
        }
        ModelSpec spec = run != null ? RunDirectory.open(run).spec() : ModelSpec.of(model, hidden, width, blocks, new int[] {1, 28, 28}, FashionMnist.CLASSES, false);
        int[] in = new int[spec.inputShape().length + 1];
        in[0] = 1;
        System.arraycopy(spec.inputShape(), 0, in, 1, spec.inputShape().length);
        System.out.println(spec.create(new Rng(0), null).summary(Shape.of(in)));
        return 0;
    }
}
