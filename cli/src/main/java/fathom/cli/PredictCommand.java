package fathom.cli;

import fathom.Autograd;
import fathom.Tensor;
import fathom.data.ImageFolder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fathom predict}: the top classes a trained run gives one image, from a file or a test-set index. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Classify one image (a file, or an index into the test split).")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--run", defaultValue = "runs/mlp", description = "The directory 'fathom train' wrote (default: ${DEFAULT-VALUE}).")
    Path run;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--image", description = "A PNG or JPEG file; converted to the model's input size and channels.")
        Path image;

        @Option(names = "--index", description = "An index into the test split of --data.")
        Integer index;
    }

    @Option(names = "--data", defaultValue = "fashion-mnist", description = "Data for --index (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--top", defaultValue = "3", description = "How many classes to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        RunDirectory r = RunDirectory.open(run);
        int[] shape = r.spec().inputShape();
        Tensor x;
        String label = "";
        if (source.image != null) {
            x = ImageFolder.read(source.image, shape[0]);
            if (!Arrays.equals(x.shape().toArray(), shape)) {
                x = new fathom.data.Resize(shape[1], shape[2]).apply(x, new fathom.Rng(0));
            }
        } else {
            TrainingData d = TrainingData.load(data, null, 0);
            var ex = d.test().get(source.index);
            x = ex.input();
            label = " (true class: " + r.spec().classes().get((int) ex.target().item()) + ")";
        }
        Tensor p;
        try (var _ = Autograd.noGrad()) {
            p = r.model().call(x.unsqueeze(0)).softmax(1).select(0, 0);
        }
        float[] probs = p.toFloatArray();
        Integer[] order = new Integer[probs.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(probs[b], probs[a]));
        System.out.println("Prediction for " + (source.image != null ? source.image : "test sample " + source.index) + label + ":");
        for (int i = 0; i < Math.min(top, probs.length); i++) {
            System.out.printf("  %-16s %6.2f%%%n", r.spec().classes().get(order[i]), 100 * probs[order[i]]);
        }
        return 0;
    }
}
