package fathom.cli;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.Mlp;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.Module;
import fathom.optim.Sgd;
import fathom.optim.SgdConfig;
import java.util.Arrays;

/**
 * The training issue's MLP benchmark, the same recipe as reference/bench_mlp_torch.py: 784-512-256-10,
 * ReLU, cross-entropy, SGD momentum 0.9, lr 0.05, batch 128 on random data of Fashion-MNIST's shape
 * (compute only, no data loading); and batch-1 inference latency in eval mode without gradients.
 */
final class MlpTiming {
    private MlpTiming() {}

    static void print() {
        Rng rng = new Rng(0);
        Module model = Mlp.create(Mlp.Config.fashionMnist(), rng);
        Sgd opt = new Sgd(model.parameters(), new SgdConfig(0.05, 0.9));
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Tensor x = Tensors.rand(rng, 128, 784);
        Tensor y = Tensors.randint(rng, 0, 10, 128);
        double step = secondsPer(() -> {
            opt.zeroGrad();
            loss.apply(model.call(x), y).backward();
            opt.step();
        }, 3.0);
        System.out.printf("MLP 784-512-256-10 train step (batch 128, SGD momentum): %.3f ms, %,.0f samples/s%n", step * 1e3, 128 / step);
        model.eval();
        Tensor x1 = Tensors.rand(rng, 1, 784);
        double latency;
        try (var _ = Autograd.noGrad()) {
            latency = secondsPer(() -> model.call(x1), 2.0);
        }
        System.out.printf("MLP batch-1 inference (eval, no grad): %.1f us%n", latency * 1e6);
    }

    /** Median seconds per call over 5 windows, after a warm-up as long as the measurement. */
    static double secondsPer(Runnable r, double seconds) {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            r.run();
        }
        double[] runs = new double[5];
        for (int i = 0; i < runs.length; i++) {
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds / runs.length * 1e9);
            int n = 0;
            do {
                r.run();
                n++;
            } while (System.nanoTime() < end);
            runs[i] = (System.nanoTime() - t0) / 1e9 / n;
        }
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }
}
