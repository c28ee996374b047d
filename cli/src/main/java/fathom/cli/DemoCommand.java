package fathom.cli;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backends;
import fathom.cpu.Parallel;
import fathom.cpu.Simd;
import fathom.train.ProgressBar;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fathom's demo: a two-layer network learns to separate three interleaved spirals, written with
 * tensors, autograd and a hand-written SGD step only, then one matmul is timed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small network on three interleaved spirals with autograd, then time a matmul.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--epochs", defaultValue = "300", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for data, initialization and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lr", defaultValue = "0.5", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Override
    public Integer call() {
        System.out.printf("Fathom demo: backend %s, %d threads, %s kernels%n", Backends.current().name(), Parallel.threads(), Simd.describe());
        Rng rng = new Rng(seed);
        Spirals data = Spirals.make(rng, 3, 200, 0.2);
        Tensor perm = Tensors.randperm(rng, data.x().size(0));
        int nTrain = data.x().size(0) * 4 / 5;
        Tensor trainIdx = perm.slice(0, 0, nTrain, 1);
        Tensor testIdx = perm.slice(0, nTrain, perm.size(0), 1);
        Tensor xTrain = data.x().indexSelect(0, trainIdx);
        Tensor yTrain = data.y().indexSelect(0, trainIdx);
        Tensor xTest = data.x().indexSelect(0, testIdx);
        Tensor yTest = data.y().indexSelect(0, testIdx);

        int hidden = 64;
        // Kaiming-normal initialization for the ReLU layer, small output layer
        Tensor w1 = Tensors.randn(rng, 2, hidden).mul(Math.sqrt(2.0 / 2)).requiresGrad(true);
        Tensor b1 = Tensors.zeros(hidden).requiresGrad(true);
        Tensor w2 = Tensors.randn(rng, hidden, 3).mul(Math.sqrt(1.0 / hidden)).requiresGrad(true);
        Tensor b2 = Tensors.zeros(3).requiresGrad(true);
        List<Tensor> params = List.of(w1, b1, w2, b2);

        System.out.printf("Training a 2-%d-3 ReLU network on %d points (3 spirals), testing on %d%n", hidden, nTrain, xTest.size(0));
        ProgressBar bar = new ProgressBar("train", epochs, System.out);
        int batch = 32;
        for (int epoch = 0; epoch < epochs; epoch++) {
            Tensor order = Tensors.randperm(rng, nTrain);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < nTrain; start += batch) {
                Tensor idx = order.slice(0, start, Math.min(nTrain, start + batch), 1);
                Tensor logits = forward(xTrain.indexSelect(0, idx), params);
                Tensor loss = crossEntropy(logits, yTrain.indexSelect(0, idx));
                loss.backward();
                try (var _ = Autograd.noGrad()) {
                    for (Tensor p : params) {
                        p.subInPlace(p.grad().mul(lr));
                        p.zeroGrad();
                    }
                }
                lossSum += loss.item();
                batches++;
            }
            bar.step(String.format("loss %.4f", lossSum / batches));
        }
        try (var _ = Autograd.noGrad()) {
            System.out.printf("Train accuracy %.1f%%, test accuracy %.1f%%%n",
                    100 * accuracy(forward(xTrain, params), yTrain), 100 * accuracy(forward(xTest, params), yTest));
        }
        MatmulTiming.printOne(1024);
        return 0;
    }

    static Tensor forward(Tensor x, List<Tensor> p) {
        return x.matmul(p.get(0)).add(p.get(1)).relu().matmul(p.get(2)).add(p.get(3));
    }

    static Tensor crossEntropy(Tensor logits, Tensor target) {
        return logits.logSoftmax(1).gather(1, target.unsqueeze(1)).neg().mean();
    }

    static double accuracy(Tensor logits, Tensor target) {
        return logits.argmax(1, false).eq(target).to(fathom.DType.FLOAT32).mean().item();
    }

    /** Points on {@code classes} spiral arms with Gaussian noise: x [N, 2] float32, y [N] int64. */
    record Spirals(Tensor x, Tensor y) {
        static Spirals make(Rng rng, int classes, int perClass, double noise) {
            float[] x = new float[classes * perClass * 2];
            long[] y = new long[classes * perClass];
            for (int c = 0; c < classes; c++) {
                for (int i = 0; i < perClass; i++) {
                    int k = c * perClass + i;
                    double r = (double) i / perClass;
                    double t = c * 4.0 + 4.0 * r + rng.nextGaussian() * noise;
                    x[2 * k] = (float) (r * Math.sin(t));
                    x[2 * k + 1] = (float) (r * Math.cos(t));
                    y[k] = c;
                }
            }
            return new Spirals(Tensors.of(x, classes * perClass, 2), Tensors.of(y));
        }
    }

}
