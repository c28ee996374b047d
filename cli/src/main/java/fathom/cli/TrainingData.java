package fathom.cli;

import fathom.data.FashionMnist;
import fathom.data.Mnist;
import fathom.data.TensorDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The data a {@code fathom} command trains or evaluates on, named as on the command line:
 * {@code fashion-mnist} (Debian's full set when installed, else the sample shipped in the jar),
 * {@code fashion-mnist-sample}, or a directory of MNIST-layout IDX files.
 */
record TrainingData(TensorDataset train, TensorDataset test, List<String> classes, String description) {
    static TrainingData load(String spec) throws IOException {
        switch (spec) {
            case "fashion-mnist" -> {
                boolean full = FashionMnist.installed();
                return new TrainingData(FashionMnist.load(true), FashionMnist.load(false), FashionMnist.CLASSES,
                        full ? "Fashion-MNIST (full set, " + FashionMnist.DEBIAN_DIR + ")"
                             : "Fashion-MNIST sample shipped with Fathom (install Debian's dataset-fashion-mnist for the full set)");
            }
            case "fashion-mnist-sample" -> {
                return new TrainingData(FashionMnist.loadSample(true), FashionMnist.loadSample(false), FashionMnist.CLASSES,
                        "Fashion-MNIST sample shipped with Fathom");
            }
            default -> {
                Path dir = Path.of(spec);
                if (!Files.isDirectory(dir)) {
                    throw new IOException("unknown data '" + spec + "': use fashion-mnist, fashion-mnist-sample,"
                            + " or a directory holding MNIST-layout IDX files (train-images-idx3-ubyte[.gz], ...)");
                }
                return new TrainingData(Mnist.load(dir, true), Mnist.load(dir, false), Mnist.CLASSES, "IDX files in " + dir);
            }
        }
    }

    /** The shape of one input, without the batch dimension. */
    int[] inputShape() {
        int[] s = train.inputs().shape().toArray();
        return java.util.Arrays.copyOfRange(s, 1, s.length);
    }
}
