package fathom.cpu;

import fathom.Normalization;
import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.Upsampling;
import fathom.Upsampling.Mode;
import fathom.backend.PoolAxis;
import java.util.function.Supplier;

/**
 * Prints the time of the CNN layers on ResNet-sized activations: a batch-norm training step (forward
 * and backward) on the fused kernel against the same formula composed of element-wise ops and
 * reductions (as BatchNorm1d computed it before), max pooling 3×3/2 (a training step, and the forward
 * alone with the vector kernel and with its scalar twin), 2× upsampling and global average pooling.
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
        report("batch norm [32, 64, 56, 56] fused, forward + backward", () -> step(Normalization.batchNorm(x, null, null, w, b, true, 0.1,
                1e-5), g));
        report("batch norm [32, 64, 56, 56] composed, forward + backward", () -> {
            int[] dims = {0, 2, 3};
            Tensor centered = x.sub(x.mean(dims, true));
            Tensor y = centered.mul(centered.square().mean(dims, true).add(1e-5).rsqrt()).mul(w.reshape(64, 1, 1)).add(b.reshape(64, 1, 1));
            return step(y, g);
        });

        Tensor stem = Tensors.randn(rng, 32, 64, 112, 112).requiresGrad(true);
        Tensor gp = Tensors.randn(rng, 32, 64, 56, 56);
        report("max pool 3x3/2 pad 1 [32, 64, 112, 112], forward + backward", () -> step(Pooling.maxPool2d(stem, PoolWindow.of(3, 2, 1)), gp));
        report("max pool 3x3/2 pad 1 [32, 64, 112, 112], forward", () -> Pooling.maxPool2d(stem.detach(), PoolWindow.of(3, 2, 1)));
        float[] in = stem.storage().floats();
        float[] out = new float[32 * 64 * 56 * 56];
        long[] idx = new long[out.length];
        PoolAxis axis = PoolAxis.sliding(112, 56, 3, 2, 1, 1);
        report("max pool 3x3/2 pad 1 [32, 64, 112, 112], forward, scalar twin", () -> {
            Parallel.forRange(32 * 64, 4, (s, e) -> MaxPoolF32Scalar.forward(in, s * 112 * 112, e - s, 112, 112, axis, axis, out, idx,
                    s * 56 * 56));
            return null;
        });

        Tensor small = Tensors.randn(rng, 8, 64, 32, 32).requiresGrad(true);
        Tensor gu = Tensors.randn(rng, 8, 64, 64, 64);
        report("upsample nearest x2 [8, 64, 32, 32], forward + backward", () ->
                step(Upsampling.interpolate(small, new double[] {2}, Mode.NEAREST, false), gu));
        report("upsample bilinear x2 [8, 64, 32, 32], forward + backward", () ->
                step(Upsampling.interpolate(small, new double[] {2}, Mode.BILINEAR, false), gu));

        Tensor last = Tensors.randn(rng, 32, 512, 7, 7).requiresGrad(true);
        Tensor gl = Tensors.randn(rng, 32, 512, 1, 1);
        report("global average pool [32, 512, 7, 7], forward + backward", () -> step(Pooling.adaptiveAvgPool2d(last, 1), gl));
    }

    private static Tensor step(Tensor y, Tensor g) {
        y.backward(g);
        return y;
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
        System.out.printf("%-66s %8.1f ms%n", what, best / 1e6);
    }
}
