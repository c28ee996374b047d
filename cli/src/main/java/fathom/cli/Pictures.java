package fathom.cli;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.data.Batch;
import fathom.data.DataLoader;
import fathom.data.Dataset;
import fathom.data.LoaderConfig;
import fathom.nn.Conv2d;
import fathom.nn.Module;
import fathom.train.Plots;
import java.nio.file.Path;
import java.util.List;

/**
 * The pictures of a trained convolutional run: {@code predictions.png} (the first test images with
 * predicted and true classes, wrong ones in red) and {@code filters.png} (the first convolution's filters).
 */
final class Pictures {
    /** How many test images predictions.png shows. */
    static final int IMAGES = 32;

    private Pictures() {}

    /** Writes both files into {@code dir}; returns their names (filters.png only when the model has a convolution). */
    static List<String> write(Module model, Dataset test, List<String> classes, Path dir) {
        Batch shown = new DataLoader(test, new LoaderConfig(IMAGES, false), new Rng(0)).iterator().next();
        Tensor images = shown.inputs();
        int[] truth = shown.targets().to(fathom.DType.INT64).toIntArray();
        int[] predicted;
        boolean training = model.isTraining();
        model.eval();
        try (var _ = Autograd.noGrad()) {
            predicted = model.call(images).argmax(1, false).toIntArray();
        } finally {
            model.train(training);
        }
        Plots.predictions(dir.resolve("predictions.png"), images, predicted, truth, classes);
        Conv2d first = firstConvolution(model);
        if (first == null) {
            return List.of("predictions.png");
        }
        String name = model.namedModules().entrySet().stream().filter(e -> e.getValue() == first).findFirst().orElseThrow().getKey();
        Plots.filters(dir.resolve("filters.png"), "First convolution (" + name + "): " + first.weight.size(0) + " filters of "
                + first.weight.size(1) + "x" + first.weight.size(2) + "x" + first.weight.size(3), first.weight);
        return List.of("predictions.png", "filters.png");
    }

    /** The model's first {@link Conv2d} in registration order, or null. */
    static Conv2d firstConvolution(Module model) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof Conv2d c) {
                return c;
            }
        }
        return null;
    }
}
