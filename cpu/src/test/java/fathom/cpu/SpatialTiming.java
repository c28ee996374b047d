package fathom.cpu;

import fathom.Normalization;
import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import java.util.function.Supplier;

/**
 * Prints the time of a training step (forward and backward) of the CNN layers on ResNet-sized
 * activations: batch norm on the fused kernel against the same formula composed of element-wise ops
 * and reductions (as BatchNorm1d computed it before), max pooling 3×3/2 and global average pooling.
 * A plain main, not a test: each figure is the best of several rounds after warm-up.
 *
 * <p>Run after {@code mvn -pl cpu -am test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:cpu/target/classes:testing/target/classes:cpu/target/test-classes fathom.cpu.SpatialTiming}
 */
public final class SpatialTiming {
    private SpatialTiming() {}

    public static void main(String[] args) {
        System.out.println("vectors: " + Simd.describe() + ", threads " + Parallel.threads());
        Rng rng = new Rng(1);
        Tensor x = Tensors.randn(rng, 32, 64, 56, 56).requiresGrad(true);
        Tensor w = Tensors.ones(64).requiresGrad(true);
        Tensor b = Tensors.zeros(64).requiresGrad(true);
        Tensor g = Tensors.randn(rng, 32, 64, 56, 56);
        report("batch norm [32, 64, 56, 56] fused, forward + backward", () -> {
            Tensor y = Normalization.batchNorm(x, null, null, w, b, true, 0.1, 1e-5);
            y.backward(g);
            return y;
        });
        report("batch norm [32, 64, 56, 56] composed, forward + backward", () -> {
            int[] dims = {0, 2, 3};
            Tensor centered = x.sub(x.mean(dims, true));
            Tensor y = centered.mul(centered.square().mean(dims, true).add(1e-5).rsqrt()).mul(w.reshape(64, 1, 1)).add(b.reshape(64, 1, 1));
            y.backward(g);
            return y;
        });
        Tensor stem = Tensors.randn(rng, 32, 64, 112, 112).requiresGrad(true);
        Tensor gp = Tensors.randn(rng, 32, 64, 56, 56);
        report("max pool 3x3/2 pad 1 [32, 64, 112, 112], forward + backward", () -> {
            Tensor y = Pooling.maxPool2d(stem, PoolWindow.of(3, 2, 1));
            y.backward(gp);
            return y;
        });
        report("max pool 3x3/2 pad 1 [32, 64, 112, 112], forward", () -> Pooling.maxPool2d(stem.detach(), PoolWindow.of(3, 2, 1)));
        report("max pool 3x3/2 pad 1 [32, 64, 112, 112], scalar twin forward", () -> {
            float[] o = new float[32 * 64 * 56 * 56];
            long[] ix = new long[o.length];
            fathom.backend.PoolAxis a = fathom.backend.PoolAxis.sliding(112, 56, 3, 2, 1, 1);
            Parallel.forRange(32 * 64, 4, (s, e) -> MaxPoolF32Scalar.forward(stem.storage().floats(), s * 112 * 112, e - s, 112, 112, a, a, o, ix, s * 56 * 56));
            return null;
        });
        Tensor last = Tensors.randn(rng, 32, 512, 7, 7).requiresGrad(true);
        Tensor gl = Tensors.randn(rng, 32, 512, 1, 1);
        report("global average pool [32, 512, 7, 7], forward + backward", () -> {
            Tensor y = Pooling.adaptiveAvgPool2d(last, 1);
            y.backward(gl);
            return y;
        });
    }

    private static void report(String what, Supplier<Tensor> step) {
        for (int i = 0; i < 3; i++) {
            step.get();
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            step.get();
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("%-60s %8.1f ms%n", what, best / 1e6);
    }
}
