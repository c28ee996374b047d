package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.ConvGeometry;
import fathom.backend.ScalarBackend;
import fathom.testing.Conformance;
import org.junit.jupiter.api.Test;

/**
 * The float32 convolution kernels agree with the scalar reference on shapes and tilings that take every
 * path the small registry samples may miss: several images per tile (with a shorter last tile), an
 * image split into bands of output rows, packed products (more than 8 filters and channels) and thin
 * ones, groups with stride and dilation, depthwise; through the backend on one thread and on three
 * (parallel tasks, per-thread weight-gradient partials), and with each tiling forced.
 */
class ConvF32Test {
    private static final CpuBackend CPU = new CpuBackend();
    private static final ScalarBackend REFERENCE = new ScalarBackend();

    private record Case(int[] x, int[] w, ConvGeometry g) {}

    /** The images one block of the batch path holds: the cases below scale with it, so that they take that path at any vector width. */
    private static final int L = ConvBatchF32.LANES;

    private static final Case[] CASES = {
        // 144 output pixels per image: two images per tile on one thread, the last tile one image
        new Case(new int[] {9, 3, 12, 12}, new int[] {5, 3, 5, 5}, new ConvGeometry(1, 1, 2, 2, 1, 1, 1)),
        new Case(new int[] {2, 32, 13, 11}, new int[] {12, 32, 3, 3}, new ConvGeometry(1, 1, 1, 1, 1, 1, 1)),
        // more than 8 filters and channels: the packed products; two images per tile on one thread
        new Case(new int[] {10, 12, 9, 9}, new int[] {16, 12, 3, 3}, new ConvGeometry(1, 1, 1, 1, 1, 1, 1)),
        new Case(new int[] {10, 4, 11, 9}, new int[] {6, 2, 3, 2}, new ConvGeometry(2, 1, 1, 2, 1, 2, 2)),
        new Case(new int[] {8, 6, 10, 10}, new int[] {6, 1, 3, 3}, new ConvGeometry(1, 1, 1, 1, 1, 1, 6)),
        new Case(new int[] {3, 2, 7, 8}, new int[] {3, 2, 3, 3}, new ConvGeometry(3, 2, 0, 1, 1, 1, 1)),
        // the direct path (ConvDirectF32, stride 1, few channels per group): LeNet's first layer; four filters and
        // three left over, rows shorter than a vector; dilation and groups of 4 channels with 2 filters each;
        // 7 channels (direct forward, im2col weight gradient) and 17 (im2col both), same shape otherwise
        new Case(new int[] {5, 1, 28, 28}, new int[] {6, 1, 5, 5}, new ConvGeometry(1, 1, 2, 2, 1, 1, 1)),
        new Case(new int[] {3, 2, 9, 5}, new int[] {7, 2, 3, 3}, new ConvGeometry(1, 1, 0, 1, 1, 1, 1)),
        new Case(new int[] {2, 8, 11, 19}, new int[] {4, 4, 3, 2}, new ConvGeometry(1, 1, 2, 1, 2, 3, 2)),
        new Case(new int[] {3, 7, 9, 5}, new int[] {7, 7, 3, 3}, new ConvGeometry(1, 1, 0, 1, 1, 1, 1)),
        new Case(new int[] {3, 17, 9, 5}, new int[] {7, 17, 3, 3}, new ConvGeometry(1, 1, 0, 1, 1, 1, 1)),
        // vectorized across the batch (ConvBatchF32, a vector's lanes of images or more, L = 8 at 256 bits): LeNet's
        // second layer with two full blocks and one of four images; lone filters past the last four and odd output
        // widths; groups with dilation; a strided layer whose weight gradient takes that path (its forward, im2col)
        new Case(new int[] {2 * L + 4, 6, 14, 14}, new int[] {16, 6, 5, 5}, ConvGeometry.unit()),
        new Case(new int[] {L + 1, 3, 9, 7}, new int[] {7, 3, 5, 5}, ConvGeometry.unit()),
        new Case(new int[] {L + 2, 8, 12, 12}, new int[] {6, 4, 4, 4}, new ConvGeometry(1, 1, 1, 0, 2, 1, 2)),
        new Case(new int[] {2 * L, 4, 13, 13}, new int[] {5, 4, 5, 5}, new ConvGeometry(2, 2, 1, 1, 1, 1, 1)),
        // input gradients on that path (the first two cases above take it too): two channels per group on rows of
        // three, and padding that leaves kernel rows out at the top and bottom; three channels (two and a lone one)
        // on rows of five, with dilation
        new Case(new int[] {L, 4, 3, 3}, new int[] {16, 2, 3, 3}, new ConvGeometry(1, 1, 1, 1, 1, 1, 2)),
        new Case(new int[] {L + 1, 3, 6, 5}, new int[] {9, 3, 3, 3}, new ConvGeometry(1, 1, 2, 1, 2, 1, 1)),
        // padding beyond dilation·(kernel − 1): the input gradient is no longer a padded convolution, so im2col
        new Case(new int[] {2, 3, 5, 6}, new int[] {4, 3, 1, 2}, new ConvGeometry(1, 1, 1, 1, 1, 1, 1)),
    };

    @Test
    void forwardAndBothGradientsAgreeWithTheReferenceOnOneAndThreeThreads() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                Rng rng = new Rng(17);
                for (Case c : CASES) {
                    check(c, rng, threads);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void check(Case c, Rng rng, int threads) {
        String what = "x " + Shape.of(c.x()) + " w " + Shape.of(c.w()) + " " + c.g() + " on " + threads + " threads: ";
        Tensor x = Tensors.randn(rng, c.x());
        Tensor w = Tensors.randn(rng, c.w());
        Tensor b = Tensors.randn(rng, c.w()[0]);
        Tensor y = REFERENCE.conv2d(x, w, b, c.g());
        assertNull(Conformance.differ(CPU.conv2d(x, w, b, c.g()), y, 2e-5), what + "conv2d");
        Tensor gy = Tensors.randn(rng, y.shape(), DType.FLOAT32);
        int h = c.x()[2];
        int wd = c.x()[3];
        assertNull(Conformance.differ(CPU.convTranspose2d(gy, w, null, c.g(), h, wd), REFERENCE.convTranspose2d(gy, w, null, c.g(), h, wd),
                2e-5), what + "input gradient");
        Tensor bt = Tensors.randn(rng, c.w()[1] * c.g().groups());
        assertNull(Conformance.differ(CPU.convTranspose2d(gy, w, bt, c.g(), h + 1, wd + 2), REFERENCE.convTranspose2d(gy, w, bt, c.g(), h + 1,
                wd + 2), 2e-5), what + "transposed with bias into a larger output");
        Tensor gw = CPU.conv2dWeightGrad(x, gy, c.w()[2], c.w()[3], c.g());
        assertNull(Conformance.differ(gw, REFERENCE.conv2dWeightGrad(x, gy, c.w()[2], c.w()[3], c.g()), 2e-5), what + "weight gradient");
        assertEquals(Shape.of(c.w()), gw.shape());
    }

    @Test
    void everyTilingGivesTheSameResult() {
        Rng rng = new Rng(23);
        for (Case c : CASES) {
            int[] xs = c.x();
            int[] ws = c.w();
            ConvGeometry g = c.g();
            ConvF32.Dims d = new ConvF32.Dims(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], g.outputHeight(xs[2], ws[2]),
                    g.outputWidth(xs[3], ws[3]), g);
            Tensor x = Tensors.randn(rng, xs);
            Tensor w = Tensors.randn(rng, ws);
            Tensor b = Tensors.randn(rng, ws[0]);
            Tensor gy = Tensors.randn(rng, d.n(), d.o(), d.ho(), d.wo());
            Tensor y = REFERENCE.conv2d(x, w, b, g);
            Tensor gx = REFERENCE.convTranspose2d(gy, w, null, g, xs[2], xs[3]);
            Tensor gw = REFERENCE.conv2dWeightGrad(x, gy, ws[2], ws[3], g);
            // one image per task; several; bands of one, two or three output rows
            for (ConvF32.Tiling t : new ConvF32.Tiling[] {ConvF32.Tiling.of(d, 1, 1 << 20, 1), ConvF32.Tiling.of(d, 1 << 20, 1 << 20, 1),
                ConvF32.Tiling.of(d, 1, 1, 1), ConvF32.Tiling.of(d, 1, 2 * d.k() * d.wo(), 1), ConvF32.Tiling.of(d, 1, 3 * d.k() * d.wo(), 1)}) {
                String what = "x " + Shape.of(xs) + " w " + Shape.of(ws) + " " + g + " " + t + ": ";
                float[] out = new float[y.numel()];
                ConvF32.forward(d, t, x.toFloatArray(), 0, w.toFloatArray(), 0, b.toFloatArray(), 0, out);
                assertNull(Conformance.differ(Tensors.of(out, y.shape().toArray()), y, 2e-5), what + "conv2d");
                float[] in = new float[gx.numel()];
                ConvF32.transposed(d, t, gy.toFloatArray(), 0, w.toFloatArray(), 0, in);
                assertNull(Conformance.differ(Tensors.of(in, gx.shape().toArray()), gx, 2e-5), what + "input gradient");
                float[] gwt = new float[gw.numel()];
                ConvF32.weightGrad(d, t, x.toFloatArray(), 0, gy.toFloatArray(), 0, gwt);
                assertNull(Conformance.differ(Tensors.of(gwt, gw.shape().toArray()), gw, 2e-5), what + "weight gradient");
            }
        }
    }

    @Test
    void aNonFiniteInputReachesOnlyTheWeightsThatReadIt() {
        // the direct weight gradient's vector kernel multiplies zero gradients with pixels past each row's end;
        // an infinity there must not turn other taps into NaN (it falls back to the scalar twin)
        Rng rng = new Rng(9);
        Tensor x = Tensors.randn(rng, 2, 1, 8, 8);
        float[] xs = x.toFloatArray();
        xs[64 + 3 * 8 + 7] = Float.POSITIVE_INFINITY; // image 1, row 3, last column
        x = Tensors.of(xs, 2, 1, 8, 8);
        Tensor gy = Tensors.randn(rng, 2, 3, 6, 6);
        ConvGeometry g = ConvGeometry.unit();
        Tensor expected = REFERENCE.conv2dWeightGrad(x, gy, 3, 3, g);
        float[] want = expected.toFloatArray();
        int finite = 0;
        for (float v : want) {
            finite += Float.isFinite(v) ? 1 : 0;
        }
        assertEquals(18, finite, "the reference: the last column is read by the taps j = 2 only");
        assertNull(Conformance.differ(CPU.conv2dWeightGrad(x, gy, 3, 3, g), expected, 2e-5));
    }

    @Test
    void theBatchPathTakesItsCasesAndANonFiniteInputReachesOnlyTheWeightsThatReadIt() {
        ConvGeometry g = ConvGeometry.unit();
        int n = L + 1; // one full block of images and one image past it, at any vector width
        ConvF32.Dims d = new ConvF32.Dims(n, 3, 9, 7, 7, 5, 5, 5, 3, g);
        assertEquals(Simd.ENABLED, ConvBatchF32.acceptsForward(d) && ConvBatchF32.acceptsWeightGrad(d));
        assertEquals(false, ConvBatchF32.acceptsForward(new ConvF32.Dims(9, 1, 28, 28, 6, 5, 5, 28, 28, new ConvGeometry(1, 1, 2, 2, 1, 1, 1))),
                "LeNet's first layer stays on the direct path");
        assertEquals(Simd.ENABLED, ConvBatchF32.acceptsTransposed(new ConvF32.Dims(128, 6, 14, 14, 16, 5, 5, 10, 10, g)),
                "LeNet's second layer's input gradient");
        assertEquals(Simd.ENABLED, ConvBatchF32.acceptsTransposed(new ConvF32.Dims(L, 4, 3, 3, 16, 3, 3, 3, 3, new ConvGeometry(1, 1, 1, 1, 1, 1, 2))));
        assertEquals(Simd.ENABLED, ConvBatchF32.acceptsTransposed(new ConvF32.Dims(n, 3, 6, 5, 9, 3, 3, 6, 5, new ConvGeometry(1, 1, 2, 1, 2, 1, 1))));
        assertEquals(false, ConvBatchF32.acceptsTransposed(new ConvF32.Dims(32, 8, 28, 28, 8, 3, 3, 28, 28, new ConvGeometry(1, 1, 1, 1, 1, 1, 1))),
                "a 3x3 'same' layer's input gradient stays on the direct path, which wastes little there");
        assertEquals(false, ConvBatchF32.acceptsTransposed(new ConvF32.Dims(16, 4, 13, 13, 5, 5, 5, 6, 6, new ConvGeometry(2, 2, 1, 1, 1, 1, 1))),
                "a strided layer's input gradient is no convolution");
        Rng rng = new Rng(4);
        float[] xs = Tensors.randn(rng, n, 3, 9, 7).toFloatArray();
        xs[189 + 2 * 63 + 4 * 7 + 6] = Float.POSITIVE_INFINITY; // image 1, channel 2, row 4, last column
        Tensor x = Tensors.of(xs, n, 3, 9, 7);
        Tensor gy = Tensors.randn(rng, n, 7, 5, 3);
        Tensor expected = REFERENCE.conv2dWeightGrad(x, gy, 5, 5, g);
        int finite = 0;
        for (float v : expected.toFloatArray()) {
            finite += Float.isFinite(v) ? 1 : 0;
        }
        assertEquals(7 * 75 - 7 * 5, finite, "the reference: the last column is read by the taps j = 4 of channel 2 only");
        assertNull(Conformance.differ(CPU.conv2dWeightGrad(x, gy, 5, 5, g), expected, 2e-5));
    }

    @Test
    void weightGradientsDoNotDependOnTheThreadThatComputedThem() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(3);
            Rng rng = new Rng(5);
            Tensor x = Tensors.randn(rng, 12, 4, 9, 9);
            Tensor gy = Tensors.randn(rng, 12, 8, 9, 9);
            ConvGeometry g = new ConvGeometry(1, 1, 1, 1, 1, 1, 1);
            float[] first = CPU.conv2dWeightGrad(x, gy, 3, 3, g).toFloatArray();
            for (int run = 0; run < 5; run++) {
                assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(CPU.conv2dWeightGrad(x, gy, 3, 3, g).toFloatArray()));
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
