package fathom.cli;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.data.Cifar10;
import fathom.data.CsvConfig;
import fathom.data.CsvDataset;
import fathom.data.FashionMnist;
import fathom.data.Mnist;
import fathom.data.TensorDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The data a {@code fathom} command trains or evaluates on, named as on the command line:
 * {@code fashion-mnist} (Debian's full set when installed, else the sample shipped in the jar),
 * {@code fashion-mnist-sample}, a directory of MNIST-layout IDX files or of CIFAR-10's binary batches
 * (recognized by {@code data_batch_1.bin} or {@code test_batch.bin}), or a CSV file (numeric
 * feature columns and a class column; tabular data, which the model standardizes first).
 */
record TrainingData(TensorDataset train, TensorDataset test, List<String> classes, String description, boolean tabular) {
    /** Image data, or a CSV file ({@code target} names its class column; 20% of rows, drawn with {@code seed}, are the test split). */
    static TrainingData load(String spec, String target, long seed) throws IOException {
        if (spec.endsWith(".csv")) {
            if (target == null) {
                throw new IllegalArgumentException("--data " + spec + " is a CSV file: name its class column with --target");
            }
            CsvDataset csv = CsvDataset.read(Path.of(spec), new CsvConfig(target, CsvConfig.Task.CLASSIFICATION, Set.of(), CsvConfig.Encoding.INDEX));
            TensorDataset all = csv.tensors();
            int n = all.size();
            int nTest = Math.max(1, n / 5);
            Tensor perm = Tensors.randperm(new Rng(seed), n);
            Tensor test = perm.narrow(0, 0, nTest);
            Tensor train = perm.narrow(0, nTest, n - nTest);
            return new TrainingData(new TensorDataset(all.inputs().indexSelect(0, train), all.targets().indexSelect(0, train)),
                    new TensorDataset(all.inputs().indexSelect(0, test), all.targets().indexSelect(0, test)), csv.classes(),
                    "CSV " + spec + " (" + csv.featureNames().size() + " features, target " + target + ", 20% held out)", true);
        }
        return load(spec);
    }

    private static TrainingData load(String spec) throws IOException {
        switch (spec) {
            case "fashion-mnist" -> {
                boolean full = FashionMnist.installed();
                TensorDataset[] splits = bothSplits(FashionMnist::load);
                return new TrainingData(splits[0], splits[1], FashionMnist.CLASSES,
                        full ? "Fashion-MNIST (full set, " + FashionMnist.DEBIAN_DIR + ")"
                             : "Fashion-MNIST sample shipped with Fathom (install Debian's dataset-fashion-mnist for the full set)", false);
            }
            case "fashion-mnist-sample" -> {
                TensorDataset[] splits = bothSplits(FashionMnist::loadSample);
                return new TrainingData(splits[0], splits[1], FashionMnist.CLASSES,
                        "Fashion-MNIST sample shipped with Fathom", false);
            }
            default -> {
                Path dir = Path.of(spec);
                if (!Files.isDirectory(dir)) {
                    throw new IOException("unknown data '" + spec + "': use fashion-mnist, fashion-mnist-sample,"
                            + " a directory holding MNIST-layout IDX files (train-images-idx3-ubyte[.gz], ...) or CIFAR-10 binary batches"
                            + " (data_batch_1.bin ... data_batch_5.bin, test_batch.bin), or a .csv file with --target");
                }
                if (Files.isRegularFile(dir.resolve("data_batch_1.bin")) || Files.isRegularFile(dir.resolve("test_batch.bin"))) {
                    TensorDataset[] splits = bothSplits(train -> Cifar10.load(dir, train));
                    return new TrainingData(splits[0], splits[1], Cifar10.CLASSES, "CIFAR-10 binary batches in " + dir, false);
                }
                TensorDataset[] splits = bothSplits(train -> Mnist.load(dir, train));
                return new TrainingData(splits[0], splits[1], Mnist.CLASSES, "IDX files in " + dir, false);
            }
        }
    }

    /** Reads one split of a data set: the training split when {@code train}, else the test split. */
    private interface SplitReader {
        TensorDataset read(boolean train) throws IOException;
    }

    /**
     * {training split, test split}, the test split read on another thread meanwhile (the two are
     * independent files, and start-up counts towards the time to the first trained batch).
     */
    private static TensorDataset[] bothSplits(SplitReader reader) throws IOException {
        CompletableFuture<TensorDataset> test = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.read(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        TensorDataset train = reader.read(true);
        try {
            return new TensorDataset[] {train, test.join()};
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    /** The shape of one input, without the batch dimension. */
    int[] inputShape() {
        int[] s = train.inputs().shape().toArray();
        return java.util.Arrays.copyOfRange(s, 1, s.length);
    }
}
