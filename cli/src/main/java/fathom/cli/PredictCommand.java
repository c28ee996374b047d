package fathom.cli;

import fathom.Autograd;
import fathom.Tensor;
import fathom.data.ImageFolder;
import java.nio.file.Path;
import java.util.Arrays;

/** {@code fathom predict}: the top classes a trained run gives one image, from a file or a test-set index. */
final class PredictCommand implements Subcommand {
    Path run;
    Path image;
    Integer index;
    String data;
    int top;

    @Override
    public void declare(Options o) {
        o.option("--run", "runs/mlp", "The directory 'fathom train' wrote", Options.PATH, v -> run = v);
        o.option("--image", null, "A PNG or JPEG file; converted to the model's input size and channels.", Options.PATH, v -> image = v);
        o.option("--index", null, "An index into the test split of --data.", Options.INT, v -> index = v);
        o.exactlyOne("--image", "--index");
        o.option("--data", "fashion-mnist", "Data for --index", Options.TEXT, v -> data = v);
        o.option("--top", "3", "How many classes to show", Options.INT, v -> top = v);
    }

    @Override
    public int run() throws Exception {
        RunDirectory r = RunDirectory.open(run);
        int[] shape = r.spec().inputShape();
        Tensor x;
        String label = "";
        if (image != null) {
            x = ImageFolder.read(image, shape[0]);
            if (!Arrays.equals(x.shape().toArray(), shape)) {
                x = new fathom.data.Resize(shape[1], shape[2]).apply(x, new fathom.Rng(0));
            }
        } else {
            TrainingData d = TrainingData.load(data, null, 0);
            var ex = d.test().get(index);
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
        System.out.println("Prediction for " + (image != null ? image : "test sample " + index) + label + ":");
        for (int i = 0; i < Math.min(top, probs.length); i++) {
            System.out.printf("  %-16s %6.2f%%%n", r.spec().classes().get(order[i]), 100 * probs[order[i]]);
        }
        return 0;
    }
}
