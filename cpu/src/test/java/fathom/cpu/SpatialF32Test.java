package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fathom.Normalization;
import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backends;
import fathom.backend.PoolAxis;
import fathom.backend.ScalarBackend;
import fathom.testing.Conformance;
import fathom.testing.OpSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pooling and batch-norm kernels: vector against scalar twin on many window geometries (exact
 * ties, NaN and −∞ included, where the two max-pooling passes must pick PyTorch's index), and large
 * tensors through the parallel paths against the scalar reference backend.
 */
class SpatialF32Test {
    /** Window geometries: (kernel, stride, padding, dilation) per axis, and adaptive ones. */
    private static List<PoolAxis[]> geometries(int height, int width) {
        return List.of(
                axes(height, width, 2, 2, 0, 1, 2, 2, 0, 1),
                axes(height, width, 3, 2, 1, 1, 3, 2, 1, 1),
                axes(height, width, 3, 1, 1, 1, 5, 3, 2, 1),
                axes(height, width, 2, 1, 1, 2, 3, 2, 0, 3),
                axes(height, width, 1, 1, 0, 1, 4, 1, 2, 1),
                new PoolAxis[] {PoolAxis.adaptive(height, 3), PoolAxis.adaptive(width, 5)},
                new PoolAxis[] {PoolAxis.adaptive(height, height + 2), PoolAxis.adaptive(width, 1)});
    }

    private static PoolAxis[] axes(int height, int width, int kh, int sh, int ph, int dh, int kw, int sw, int pw, int dw) {
        int oh = (height + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (width + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        return new PoolAxis[] {PoolAxis.sliding(height, oh, kh, sh, ph, dh), PoolAxis.sliding(width, ow, kw, sw, pw, dw)};
    }

    /** Small integers (ties everywhere), zeros of both signs (equal for {@code >}, told apart by the bitwise check), a few NaNs and infinities. */
    private static float[] ties(SplittableRandom rnd, int n) {
        float[] x = new float[Samples.X_OFF + n];
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(40);
            x[Samples.X_OFF + i] = k == 0 ? Float.NaN : k == 1 ? Float.NEGATIVE_INFINITY : k == 2 ? Float.POSITIVE_INFINITY
                    : k < 8 ? -0f : rnd.nextInt(-2, 3);
        }
        return x;
    }

    @Test
    void maxPoolVectorPicksTheScalarTwinsValuesAndIndices() {
        assumeTrue(Samples.VECTOR, "jdk.incubator.vector not in the boot layer");
        SplittableRandom rnd = new SplittableRandom(5);
        int planes = 3;
        for (int[] hw : new int[][] {{7, 9}, {8, 17}, {5, 33}, {1, 40}}) {
            float[] x = ties(rnd, planes * hw[0] * hw[1]);
            float[] noNan = x.clone(); // the branch-free pass runs only on rows without NaN
            for (int i = 0; i < noNan.length; i++) {
                noNan[i] = Float.isNaN(noNan[i]) ? 1 : noNan[i];
            }
            for (PoolAxis[] a : geometries(hw[0], hw[1])) {
                int n = planes * a[0].outSize() * a[1].outSize();
                float[] vo = new float[Samples.OUT_OFF + n];
                float[] so = new float[Samples.OUT_OFF + n];
                long[] vi = new long[Samples.OUT_OFF + n];
                long[] si = new long[Samples.OUT_OFF + n];
                MaxPoolF32Vector.forward(x, Samples.X_OFF, planes, hw[0], hw[1], a[0], a[1], vo, vi, Samples.OUT_OFF);
                MaxPoolF32Scalar.forward(x, Samples.X_OFF, planes, hw[0], hw[1], a[0], a[1], so, si, Samples.OUT_OFF);
                String what = hw[0] + "x" + hw[1] + " " + a[0] + " " + a[1];
                assertArrayEquals(si, vi, what);
                assertArrayEquals(so, vo, what); // bitwise: the sign of a zero maximum too
                MaxPoolF32Vector.forward(noNan, Samples.X_OFF, planes, hw[0], hw[1], a[0], a[1], vo, vi, Samples.OUT_OFF);
                MaxPoolF32Scalar.forward(noNan, Samples.X_OFF, planes, hw[0], hw[1], a[0], a[1], so, si, Samples.OUT_OFF);
                assertArrayEquals(si, vi, what + " without NaN");
                assertArrayEquals(so, vo, what + " without NaN");
            }
        }
    }

    @Test
    void twoByTwoPoolingKernelsPickTheGeneralKernelsValuesAndIndices() {
        SplittableRandom rnd = new SplittableRandom(11);
        int planes = 3;
        // rows of many outputs (the last vector overlapping), exactly one vector's worth at 256 bits, fewer than a
        // vector (one vector partly wasted; the last rows read past the array and take the scalar twin), odd sizes
        // (the last row and column are dropped), a single row
        for (int[] hw : new int[][] {{6, 35}, {4, 16}, {10, 10}, {7, 9}, {5, 2}, {7, 41}, {2, 64}}) {
            PoolAxis ah = PoolAxis.sliding(hw[0], hw[0] / 2, 2, 2, 0, 1);
            PoolAxis aw = PoolAxis.sliding(hw[1], hw[1] / 2, 2, 2, 0, 1);
            assertEquals(true, MaxPoolF32.pairs(ah) && MaxPoolF32.pairs(aw));
            float[] x = ties(rnd, planes * hw[0] * hw[1]);
            int n = planes * ah.outSize() * aw.outSize();
            float[] want = new float[Samples.OUT_OFF + n];
            long[] wantIdx = new long[Samples.OUT_OFF + n];
            MaxPoolF32Scalar.forward(x, Samples.X_OFF, planes, hw[0], hw[1], ah, aw, want, wantIdx, Samples.OUT_OFF);
            float[] got = new float[Samples.OUT_OFF + n];
            long[] gotIdx = new long[Samples.OUT_OFF + n];
            String what = hw[0] + "x" + hw[1];
            MaxPoolF32Scalar.forwardPairs(x, Samples.X_OFF, planes, hw[0], hw[1], ah.outSize(), aw.outSize(), got, gotIdx, Samples.OUT_OFF, 0);
            assertArrayEquals(wantIdx, gotIdx, what + " scalar twin");
            assertArrayEquals(want, got, what + " scalar twin"); // bitwise: NaN, −∞ and the sign of a zero maximum
            if (Samples.VECTOR) {
                got = new float[Samples.OUT_OFF + n];
                gotIdx = new long[Samples.OUT_OFF + n];
                MaxPoolF32Vector.forwardPairs(x, Samples.X_OFF, planes, hw[0], hw[1], ah.outSize(), aw.outSize(), got, gotIdx, Samples.OUT_OFF);
                assertArrayEquals(wantIdx, gotIdx, what + " vector");
                assertArrayEquals(want, got, what + " vector");
            }
        }
        assertEquals(false, MaxPoolF32.pairs(PoolAxis.sliding(9, 4, 2, 2, 1, 1)), "padding");
        assertEquals(false, MaxPoolF32.pairs(PoolAxis.sliding(9, 4, 3, 2, 0, 1)), "kernel 3");
        assertEquals(false, MaxPoolF32.pairs(PoolAxis.sliding(9, 8, 2, 1, 0, 1)), "stride 1");
    }

    @Test
    void avgPoolAndBatchNormVectorAgreeWithTheScalarTwins() {
        assumeTrue(Samples.VECTOR, "jdk.incubator.vector not in the boot layer");
        SplittableRandom rnd = new SplittableRandom(6);
        int planes = 2;
        for (int[] hw : new int[][] {{7, 9}, {8, 17}, {3, 33}}) {
            int area = hw[0] * hw[1];
            float[] x = Samples.uniform(rnd, Samples.X_OFF, planes * area, -2, 2);
            for (PoolAxis[] a : geometries(hw[0], hw[1])) {
                int outArea = a[0].outSize() * a[1].outSize();
                double[] divisor = new double[outArea];
                java.util.Arrays.fill(divisor, 3);
                float[] vo = new float[planes * outArea];
                float[] so = new float[planes * outArea];
                AvgPoolF32Vector.forward(x, Samples.X_OFF, planes, hw[0], hw[1], a[0], a[1], divisor, vo, 0);
                AvgPoolF32Scalar.forward(x, Samples.X_OFF, planes, hw[0], hw[1], a[0], a[1], divisor, so, 0);
                assertArrayEquals(so, vo, 1e-5f);
                float[] g = Samples.uniform(rnd, 0, planes * outArea, -1, 1);
                float[] vg = new float[planes * area];
                float[] sg = new float[planes * area];
                AvgPoolF32Vector.backward(g, 0, planes, hw[0], hw[1], a[0], a[1], divisor, vg, 0);
                AvgPoolF32Scalar.backward(g, 0, planes, hw[0], hw[1], a[0], a[1], divisor, sg, 0);
                assertArrayEquals(sg, vg, 1e-5f);
            }
        }
        for (int len : Samples.LENGTHS) {
            float[] x = Samples.uniform(rnd, Samples.X_OFF, len, 97, 103);
            float[] g = Samples.uniform(rnd, Samples.Y_OFF, len, -1, 1);
            double sq = BatchNormF32Scalar.squaredDeviations(x, Samples.X_OFF, len, 100);
            assertEquals(sq, BatchNormF32Vector.squaredDeviations(x, Samples.X_OFF, len, 100), 1e-5 * (1 + sq));
            double dot = BatchNormF32Scalar.centeredDot(g, Samples.Y_OFF, x, Samples.X_OFF, len, 100);
            assertEquals(dot, BatchNormF32Vector.centeredDot(g, Samples.Y_OFF, x, Samples.X_OFF, len, 100), 1e-5 * (1 + Math.abs(dot)));
            for (boolean batch : new boolean[] {true, false}) {
                float[] vo = Samples.output(Samples.OUT_OFF, len);
                float[] so = Samples.output(Samples.OUT_OFF, len);
                BatchNormF32Vector.inputGradient(g, Samples.Y_OFF, x, Samples.X_OFF, len, 100, 0.1f, 0.3f, 1.5f, batch, vo, Samples.OUT_OFF);
                BatchNormF32Scalar.inputGradient(g, Samples.Y_OFF, x, Samples.X_OFF, len, 100, 0.1f, 0.3f, 1.5f, batch, so, Samples.OUT_OFF);
                assertArrayEquals(so, vo, 1e-5f);
            }
        }
    }

    @Test
    void largeTensorsTakeTheParallelPathsAndAgreeWithTheReference() {
        Rng rng = new Rng(7);
        Tensor img = Tensors.randint(rng, -3, 4, 4, 16, 33, 35).to(fathom.DType.FLOAT32); // ties in most windows
        Tensor feat = Tensors.randn(rng, 8, 32, 15, 17).mul(2).add(3);
        Tensor w = Tensors.rand(rng, 32).add(0.5);
        Tensor b = Tensors.randn(rng, 32);
        List<OpSpec.Fn> ops = List.of(
                in -> {
                    var r = Pooling.maxPool2dWithIndices(in.get(0), PoolWindow.of(3, 2, 1));
                    return List.of(r.values(), r.indices());
                },
                in -> List.of(Pooling.avgPool2d(in.get(0), PoolWindow.of(3, 2, 1), false, null), Pooling.adaptiveAvgPool2d(in.get(1), 1),
                        Pooling.adaptiveAvgPool2d(in.get(1), 4, 5)),
                in -> List.of(Normalization.batchNorm(in.get(1), null, null, in.get(2), in.get(3), true, 0.1, 1e-5)));
        for (OpSpec.Fn f : ops) {
            List<Tensor> want = run(new ScalarBackend(), f, List.of(img, feat, w, b));
            List<Tensor> got = run(new CpuBackend(), f, List.of(img, feat, w, b));
            for (int i = 0; i < want.size(); i++) {
                assertNull(Conformance.differ(got.get(i), want.get(i), 2e-5), "result " + i);
            }
        }
    }

    /** The outputs, then the gradients of every floating input for the upstream gradient −3, −2, ..., 3, −3, ... on each float output. */
    private static List<Tensor> run(fathom.backend.Backend backend, OpSpec.Fn f, List<Tensor> inputs) {
        try (var _ = Backends.use(backend)) {
            List<Tensor> leaves = inputs.stream().map(t -> t.detach().requiresGrad(true)).toList();
            List<Tensor> outs = f.apply(leaves);
            List<Tensor> result = new java.util.ArrayList<>(outs.stream().map(Tensor::detach).toList());
            for (Tensor o : outs) {
                if (o.requiresGrad()) {
                    float[] u = new float[o.numel()];
                    for (int i = 0; i < u.length; i++) {
                        u[i] = i % 7 - 3;
                    }
                    Tensor up = Tensors.of(u, o.shape().toArray());
                    o.backward(up, true);
                }
            }
            for (Tensor l : leaves) {
                if (l.grad() != null) {
                    result.add(l.grad());
                }
            }
            return result;
        }
    }
}
