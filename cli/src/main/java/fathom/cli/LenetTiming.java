package fathom.cli;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.LeNet;
import fathom.nn.Module;

/**
 * The CNN issue's LeNet benchmark, the same recipe as reference/bench_models_torch.py lenet: LeNet-5
 * (conv5x5 1→6 pad 2, ReLU, maxpool 2, conv5x5 6→16, ReLU, maxpool 2, fc 400-120-84-10),
 * cross-entropy, SGD momentum 0.9, lr 0.05, batch 128 of random [1, 28, 28] images (compute only, no
 * data loading); and batch-1 inference latency in eval mode without gradients.
 */
final class LenetTiming {
    private LenetTiming() {}

    static void print() {
        Rng rng = new Rng(0);
        Module model = model(rng);
        SteadyTimer train = SteadyTimer.measure(MlpTiming.trainStep(model, rng, 128, 1, 28, 28), 5.0);
        double step = train.secondsPerCall();
        System.out.printf("LeNet-5 train step (batch 128, SGD momentum): %.3f ms, %,.0f samples/s (after %.0f s of JIT warm-up)%n",
                step * 1e3, 128 / step, train.warmUpSeconds());
        // per image: conv1 6x25 taps on 28x28, conv2 16x150 on 10x10, fc 400-120-84-10
        System.out.println(train.ofPeak(3.0 * 2 * 128 * (6 * 25 * 28 * 28 + 16 * 150 * 10 * 10 + 400 * 120 + 120 * 84 + 84 * 10)));
        model.eval();
        Tensor x1 = Tensors.rand(rng, 1, 1, 28, 28);
        double latency;
        try (var _ = Autograd.noGrad()) {
            latency = SteadyTimer.measure(() -> model.call(x1), 2.0).secondsPerCall();
        }
        System.out.printf("LeNet-5 batch-1 inference (eval, no grad): %.1f us%n", latency * 1e6);
    }

    /** The training step without the report, for {@code fathom bench lenet --stream}. */
    static Runnable trainStep() {
        Rng rng = new Rng(0);
        return MlpTiming.trainStep(model(rng), rng, 128, 1, 28, 28);
    }

    private static Module model(Rng rng) {
        return LeNet.create(LeNet.Config.fashionMnist(), rng);
    }
}
