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

/**
 * The training issue's MLP benchmark, the same recipe as reference/bench_mlp_torch.py: 784-512-256-10,
 * ReLU, cross-entropy, SGD momentum 0.9, lr 0.05, batch 128 on random data of Fashion-MNIST's shape
 * (compute only, no data loading); and batch-1 inference latency in eval mode without gradients.
 */
final class MlpTiming {
    private MlpTiming() {}

    static void print() {
        Rng rng = new Rng(0);
        Module model = model(rng);
        SteadyTimer train = SteadyTimer.measure(trainStep(model, rng, 128, 784), 5.0);
        double step = train.secondsPerCall();
        System.out.printf("MLP 784-512-256-10 train step (batch 128, SGD momentum): %.3f ms, %,.0f samples/s (after %.0f s of JIT warm-up)%n",
                step * 1e3, 128 / step, train.warmUpSeconds());
        System.out.println(train.ofPeak(3.0 * 2 * 128 * (784 * 512 + 512 * 256 + 256 * 10)));
        model.eval();
        Tensor x1 = Tensors.rand(rng, 1, 784);
        double latency;
        try (var _ = Autograd.noGrad()) {
            latency = SteadyTimer.measure(() -> model.call(x1), 2.0).secondsPerCall();
        }
        System.out.printf("MLP batch-1 inference (eval, no grad): %.1f us%n", latency * 1e6);
    }

    /** The training step without the report, for {@code fathom bench mlp --stream}. */
    static Runnable trainStep() {
        Rng rng = new Rng(0);
        return trainStep(model(rng), rng, 128, 784);
    }

    private static Module model(Rng rng) {
        return Mlp.create(Mlp.Config.fashionMnist(), rng);
    }

    /**
     * The classification benchmarks' training step (this one's and {@link LenetTiming}'s): SGD momentum 0.9,
     * lr 0.05, cross-entropy, on a fixed random batch of inputs shaped {@code inputShape} (batch first) with
     * labels among 10 classes.
     */
    static Runnable trainStep(Module model, Rng rng, int... inputShape) {
        Sgd opt = new Sgd(model.parameters(), new SgdConfig(0.05, 0.9));
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Tensor x = Tensors.rand(rng, inputShape);
        Tensor y = Tensors.randint(rng, 0, 10, inputShape[0]);
        return () -> {
            opt.zeroGrad(false);
            loss.apply(model.call(x), y).backward();
            opt.step();
        };
    }
}
