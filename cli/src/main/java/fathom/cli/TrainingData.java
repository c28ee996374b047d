package fathom.cli;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.data.Cifar10;
import fathom.data.CsvConfig;
import fathom.data.CsvDataset;
import fathom.data.Dataset;
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
 * {@code tabularInputs} holds a CSV file's training features, which the model's standardization is fitted
 * on, and is null for images.
 */
record TrainingData(Dataset train, Dataset test, List<String> classes, String description, Tensor tabularInputs) {
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
            Tensor trainInputs = all.inputs().indexSelect(0, train);
            return new TrainingData(new TensorDataset(trainInputs, all.targets().indexSelect(0, train)),
                    new TensorDataset(all.inputs().indexSelect(0, test), all.targets().indexSelect(0, test)), csv.classes(),
                    "CSV " + spec + " (" + csv.featureNames().size() + " features, target " + target + ", 20% held out)", trainInputs);
        }
        return load(spec);
    }

    private static TrainingData load(String spec) throws IOException {
        switch (spec) {
            case "fashion-mnist" -> {
                boolean full = FashionMnist.installed();
                Dataset[] splits = bothSplits(FashionMnist::load);
                return new TrainingData(splits[0], splits[1], FashionMnist.CLASSES,
                        full ? "Fashion-MNIST (full set, " + FashionMnist.DEBIAN_DIR + ")"
                             : "Fashion-MNIST sample shipped with Fathom (install Debian's dataset-fashion-mnist for the full set)", null);
            }
            case "fashion-mnist-sample" -> {
                Dataset[] splits = bothSplits(FashionMnist::loadSample);
                return new TrainingData(splits[0], splits[1], FashionMnist.CLASSES, "Fashion-MNIST sample shipped with Fathom", null);
            }
            default -> {
                Path dir = Path.of(spec);
                if (!Files.isDirectory(dir)) {
                    throw new IOException("unknown data '" + spec + "': use fashion-mnist, fashion-mnist-sample,"
                            + " a directory holding MNIST-layout IDX files (train-images-idx3-ubyte[.gz], ...) or CIFAR-10 binary batches"
                            + " (data_batch_1.bin ... data_batch_5.bin, test_batch.bin), or a .csv file with --target");
                }
                if (Files.isRegularFile(dir.resolve("data_batch_1.bin")) || Files.isRegularFile(dir.resolve("test_batch.bin"))) {
                    Dataset[] splits = bothSplits(train -> Cifar10.load(dir, train));
                    return new TrainingData(splits[0], splits[1], Cifar10.CLASSES, "CIFAR-10 binary batches in " + dir, null);
                }
                Dataset[] splits = bothSplits(train -> Mnist.load(dir, train));
                return new TrainingData(splits[0], splits[1], Mnist.CLASSES, "IDX files in " + dir, null);
            }
        }
    }

    /** Reads one split of a data set: the training split when {@code train}, else the test split. */
    private interface SplitReader {
        Dataset read(boolean train) throws IOException;
    }

    /**
     * {training split, test split}, the test split read on another thread meanwhile (the two are
     * independent files, and start-up counts towards the time to the first trained batch).
     */
    private static Dataset[] bothSplits(SplitReader reader) throws IOException {
        CompletableFuture<Dataset> test = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.read(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Dataset train = reader.read(true);
        try {
            return new Dataset[] {train, test.join()};
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    /** True for a CSV file's features, which the model standardizes. */
    boolean tabular() {
        return tabularInputs != null;
    }

    /** The shape of one input, without the batch dimension. */
    int[] inputShape() {
        return train.get(0).input().shape().toArray();
    }
}
