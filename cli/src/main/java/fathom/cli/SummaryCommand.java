package fathom.cli;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensors;
import fathom.data.FashionMnist;
import java.nio.file.Path;

/** {@code fathom summary}: a model's layers, output shapes and parameter counts. */
final class SummaryCommand implements Subcommand {
    Path run;
    String model;
    int[] hidden;
    int width;
    int[] blocks;

    @Override
    public void declare(Options o) {
        o.option("--run", null, "Summarize the model of a trained run (a classifier, or a language model trained with --text) instead of a new one.",
                Options.PATH, v -> run = v);
        o.option("--model", "mlp", "Model family: mlp, lenet, vgg or resnet, for Fashion-MNIST's [1, 28, 28]", Options.TEXT, v -> model = v);
        o.option("--hidden", "512,256", "MLP hidden widths", Options.INTS, v -> hidden = v);
        o.option("--width", null, "First-stage channels of vgg (default 32) or resnet (default 64).", Options.INT, v -> width = v);
        o.option("--blocks", null, "Basic blocks per resnet stage (default: 2,2,2,2).", Options.INTS, v -> blocks = v);
    }

    @Override
    public int run() throws Exception {
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
