package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fathom.DType;
import fathom.Recurrent;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backend;
import fathom.backend.Backends;
import fathom.backend.RecurrentMode;
import fathom.backend.ScalarBackend;
import fathom.testing.Conformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float32 recurrent kernels at sizes the registry's small specs do not reach: hidden sizes past
 * several vector widths with a tail, batches split across threads, a batch-first (strided) input
 * projection, and the pre-packed weight product against the plain matmul.
 */
class RecurrentF32Test {
    private static final CpuBackend CPU = new CpuBackend();
    private static final ScalarBackend REFERENCE = new ScalarBackend();

    @Test
    void packedProductsEqualThePlainMatmul() {
        Random rng = new Random(3);
        // {9, 40, KC + 7} takes two k slices
        int[][] shapes = {{1, 1, 1}, {3, 17, 5}, {32, 64, 256}, {7, 33, 300}, {33, 70, 513}, {5, 16, 1024}, {9, 40, MatmulF32.KC + 7}, {0, 4, 4}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean transposed : new boolean[] {false, true}) {
                float[] a = random(rng, m * k + 2);
                float[] b = random(rng, k * n);
                PackedMatrixF32 p = transposed ? PackedMatrixF32.pack(k, n, b, 0, 1, k) : PackedMatrixF32.pack(k, n, b, 0, n, 1);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] want = random(rng, m * n);
                    float[] got = want.clone();
                    MatmulF32.gemm(m, n, k, a, 2, k, 1, b, 0, transposed ? 1 : n, transposed ? k : 1, want, 0, n, accumulate);
                    p.multiply(m, a, 2, k, 1, got, 0, n, accumulate);
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), "m=" + m + " n=" + n + " k=" + k + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void sequencesAtLargerSizesAgreeWithTheReference() {
        assertEquals(List.of(), compareSequences(6, 10, 37));
    }

    @Test
    void batchesLargeEnoughToSplitAcrossThreadsAgreeToo() {
        assertEquals(List.of(), compareSequences(3, 130, 33));
    }

    private static List<String> compareSequences(int steps, int batch, int hidden) {
        List<String> problems = new ArrayList<>();
        Random lengthRng = new Random(batch);
        for (RecurrentMode mode : RecurrentMode.values()) {
            for (int variant = 0; variant < 4; variant++) {
                boolean reverse = (variant & 1) != 0;
                int[] lengths = (variant & 2) != 0 ? lengthRng.ints(batch, 1, steps + 1).toArray() : null;
                boolean batchFirst = variant == 3;
                Rng rng = new Rng(mode.ordinal() * 10 + variant);
                int width = mode.gates() * hidden;
                Tensor xg = batchFirst ? Tensors.randn(rng, batch, steps, width) : Tensors.randn(rng, steps, batch, width);
                Tensor w = Tensors.randn(rng, width, hidden).mul(1 / Math.sqrt(hidden));
                Tensor b = Tensors.randn(rng, width).mul(0.1);
                Tensor h0 = Tensors.randn(rng, batch, hidden);
                Tensor c0 = Tensors.randn(rng, batch, hidden);
                Tensor up = Tensors.randn(rng, Shape.of(mode.states(), steps + 1, batch, hidden), DType.FLOAT32);
                List<Tensor> want = run(REFERENCE, mode, xg, w, b, h0, c0, up, lengths, reverse, batchFirst);
                List<Tensor> got = run(CPU, mode, xg, w, b, h0, c0, up, lengths, reverse, batchFirst);
                for (int i = 0; i < want.size(); i++) {
                    String p = Conformance.differ(got.get(i), want.get(i), 2e-5);
                    if (p != null) {
                        problems.add(mode + " variant " + variant + " result " + i + ": " + p);
                    }
                }
            }
        }
        return problems;
    }

    /** The states, then the gradients of xg, wHh, bHh, h0 (and c0) for the upstream gradient up. */
    private static List<Tensor> run(Backend backend, RecurrentMode mode, Tensor xg, Tensor w, Tensor b, Tensor h0, Tensor c0, Tensor up,
                                    int[] lengths, boolean reverse, boolean batchFirst) {
        try (var _ = Backends.use(backend)) {
            List<Tensor> leaves = new ArrayList<>();
            for (Tensor t : mode == RecurrentMode.LSTM ? List.of(xg, w, b, h0, c0) : List.of(xg, w, b, h0)) {
                leaves.add(t.detach().requiresGrad(true));
            }
            Tensor x = batchFirst ? leaves.get(0).transpose(0, 1) : leaves.get(0);
            Tensor states = Recurrent.sequence(mode, x, leaves.get(1), leaves.get(2), leaves.get(3),
                    mode == RecurrentMode.LSTM ? leaves.get(4) : null, lengths, reverse);
            states.backward(up);
            List<Tensor> out = new ArrayList<>(List.of(states.detach()));
            for (Tensor l : leaves) {
                out.add(l.grad());
            }
            return out;
        }
    }

    private static float[] random(Random rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rng.nextFloat() * 2 - 1;
        }
        return x;
    }
}
