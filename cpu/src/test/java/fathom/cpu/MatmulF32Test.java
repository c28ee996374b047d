package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Compares {@link MatmulF32} with a double-precision triple loop over shapes, strides and modes. */
class MatmulF32Test {
    private static final int[] SIZES = {0, 1, 2, 3, 5, 7, 16, 17, 33, 64, 127, 129};
    /** A depth past one k slice ({@link MatmulF32#KC}): such a product takes two. */
    private static final int DEEP = MatmulF32.KC + 94;

    /** Layout of one operand: element (r, c) of a {@code rows x cols} matrix sits at {@code off + r*rs + c*cs}. */
    private record Layout(int off, int rs, int cs, int size) {
        static Layout of(int rows, int cols, boolean transposed, int off, int pad) {
            // A transposed layout stores the matrix column by column; pad widens the leading dimension.
            return transposed
                    ? new Layout(off, 1, rows + pad, off + cols * (rows + pad) + 1)
                    : new Layout(off, cols + pad, 1, off + rows * (cols + pad) + 1);
        }
    }

    /** A and B of an {@code m x k} by {@code k x n} product, random, in the layouts {@code ta} and {@code tb} select (offsets 1 and 2, no padding). */
    private record Operands(Layout la, float[] a, Layout lb, float[] b) {
        static Operands random(Random rng, int m, int n, int k, boolean ta, boolean tb) {
            Layout la = Layout.of(m, k, ta, 1, 0);
            Layout lb = Layout.of(k, n, tb, 2, 0);
            float[] a = MatmulF32Test.random(rng, la.size());
            return new Operands(la, a, lb, MatmulF32Test.random(rng, lb.size()));
        }
    }

    private static float[] random(Random rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rng.nextFloat() * 2 - 1;
        }
        return x;
    }

    /** Runs one gemm and checks every element of C, and that C outside the product is untouched. */
    private static void check(Random rng, int m, int n, int k, boolean ta, boolean tb, boolean accumulate, int pad) {
        Layout la = Layout.of(m, k, ta, rng.nextInt(3), pad);
        Layout lb = Layout.of(k, n, tb, rng.nextInt(3), pad);
        int cOff = rng.nextInt(3);
        int ldc = Math.max(1, n + pad);
        float[] a = random(rng, la.size());
        float[] b = random(rng, lb.size());
        float[] c = random(rng, cOff + m * ldc + 1);
        float[] c0 = c.clone();
        MatmulF32.gemm(m, n, k, a, la.off(), la.rs(), la.cs(), b, lb.off(), lb.rs(), lb.cs(), c, cOff, ldc, accumulate);
        String what = "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " acc=" + accumulate + " pad=" + pad;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c0[cOff + i * ldc + j] : 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[la.off() + i * la.rs() + p * la.cs()] * b[lb.off() + p * lb.rs() + j * lb.cs()];
                }
                double tol = 1e-5 * (k + 1) + 1e-6;
                double got = c[cOff + i * ldc + j];
                if (Math.abs(got - s) > tol) {
                    throw new AssertionError(what + " at (" + i + "," + j + "): expected " + s + " got " + got);
                }
            }
        }
        for (int x = 0; x < c.length; x++) {
            int rel = x - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside) {
                assertEquals(c0[x], c[x], what + ": wrote outside C at " + x);
            }
        }
    }

    @Test
    void smallShapesAllLayouts() {
        Random rng = new Random(1);
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : new int[] {0, 1, 3, 17, 64}) {
                    for (int mode = 0; mode < 4; mode++) {
                        check(rng, m, n, k, (mode & 1) != 0, (mode & 2) != 0, rng.nextBoolean(), rng.nextInt(2) * 3);
                    }
                }
            }
        }
    }

    @Test
    void deepAndBlockCrossingShapes() {
        Random rng = new Random(2);
        int[][] shapes = {{1, 300, 129}, {300, 1, 129}, {127, 129, 300}, {150, 33, 513}, {7, 301, 260},
            {33, 17, 1}, {200, 200, 257}, {1, 1, 1000}, {6, 16, 256}, {145, 4100, 3}};
        for (int[] s : shapes) {
            for (int mode = 0; mode < 4; mode++) {
                check(rng, s[0], s[1], s[2], (mode & 1) != 0, (mode & 2) != 0, mode == 3, mode);
            }
        }
    }

    @Test
    void matchesOnOneThreadAndMany() {
        int saved = Parallel.threads();
        try {
            for (int t : new int[] {1, 3}) {
                Parallel.setThreads(t);
                Random rng = new Random(3);
                check(rng, 97, 131, 75, false, false, false, 0);
                check(rng, 301, 40, 90, true, false, true, 1);
                check(rng, 1, 700, 300, false, true, false, 0);
                check(rng, 700, 1, 300, true, false, false, 0);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * The multi-threaded path either packs one operand once for all threads (A when the threads split C by
     * columns, B when by rows) or, for a small B and tall C, has every thread pack B for itself, and hands out
     * strips dynamically; each layout, every split, odd sizes, several k slices and accumulation must still give the
     * single-thread answer, on 1, 2 and 3 threads. Each shape runs twice with new operands, so a thread that kept
     * the B it packed for the product before gives a wrong answer.
     */
    @Test
    void everyLayoutAndSplitOnOneTwoAndThreeThreads() {
        int saved = Parallel.threads();
        try {
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                Random rng = new Random(5);
                // wide (split by columns, A shared), tall (split by rows, B shared), deep (k crosses KC), tall but
                // eight column tiles wide (four per thread on two threads), and split by columns with a small B and
                // enough rows for each thread to pack B for itself (in every layout on two threads; in two k slices
                // where the tiles are 16 columns wide)
                int[][] shapes = {{37, 300, 70}, {301, 45, 61}, {66, 83, DEEP}, {130, 130, 33}, {150, 120, 70}, {520, 530, 60}, {140, 200, DEEP}};
                for (int[] s : shapes) {
                    for (int mode = 0; mode < 4; mode++) {
                        boolean ta = (mode & 1) != 0, tb = (mode & 2) != 0;
                        check(rng, s[0], s[1], s[2], ta, tb, false, 0);
                        check(rng, s[0], s[1], s[2], ta, tb, true, 5);
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * How the threads split C (by columns, by rows, or not at all) changes which thread computes a tile,
     * never the order its sums are added in: the products are the same bits on one thread and on two.
     */
    @Test
    void theThreadSplitDoesNotChangeTheBits() {
        int saved = Parallel.threads();
        try {
            // wide (columns), tall (rows), tall with eight column tiles (rows, as GPT's width-128 products), deep,
            // and a small B with enough rows for each thread to pack it for itself (rows)
            int[][] shapes = {{37, 300, 70}, {301, 45, 61}, {150, 120, 70}, {66, 83, DEEP}, {520, 530, 60}, {140, 200, DEEP}};
            for (int[] s : shapes) {
                for (int mode = 0; mode < 4; mode++) {
                    boolean ta = (mode & 1) != 0, tb = (mode & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    Operands o = Operands.random(new Random(11), m, n, k, ta, tb);
                    Layout la = o.la(), lb = o.lb();
                    float[][] c = new float[2][m * n];
                    for (int t = 1; t <= 2; t++) {
                        Parallel.setThreads(t);
                        MatmulF32.gemm(m, n, k, o.a(), la.off(), la.rs(), la.cs(), o.b(), lb.off(), lb.rs(), lb.cs(), c[t - 1], 0, n, false);
                    }
                    assertArrayEquals(c[0], c[1], "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * A product plus a bias row equals the product accumulated onto C filled with the bias, bit for bit, on
     * every path: the direct loop, a single row or column, and packed products on one thread and two (split
     * by columns and by rows), with edge tiles and more than one k slice; C's padding stays untouched.
     */
    /**
     * gemmPlusBias gives the bits of C filled with the bias and then accumulating the product (or of the plain product
     * without a bias); its epilogue sees each element of C once, after its last k slice: one that is not idempotent
     * (x ↦ 2x + 1) gives the bits of the product followed by a pass of it, and leaves the padding between C's rows
     * alone. Tiny, single-row, single-column, packed, multi-slice and two-thread products, and products whose blocks of C
     * take every k slice in turn (several row blocks and slices, on one thread and split by columns on two).
     */
    @Test
    void plusBiasAndItsEpilogueGiveTheBitsOfSeparatePasses() {
        int saved = Parallel.threads();
        try {
            int[][] shapes = {{3, 5, 7}, {1, 300, 70}, {300, 1, 70}, {37, 300, 70}, {301, 45, 61}, {66, 83, DEEP}, {128, 512, 784}, {5, 6, 0},
                {300, 40, DEEP}, {300, 300, DEEP}};
            for (int[] s : shapes) {
                for (int mode = 0; mode < 8; mode++) {
                    boolean ta = (mode & 1) != 0, tb = (mode & 2) != 0, withBias = (mode & 4) == 0;
                    int m = s[0], n = s[1], k = s[2], ldc = n + 3, cOff = 2;
                    Random rng = new Random(12);
                    Operands o = Operands.random(rng, m, n, k, ta, tb);
                    Layout la = o.la(), lb = o.lb();
                    float[] bias = withBias ? random(rng, n + 1) : null;
                    float[] start = random(rng, cOff + m * ldc);
                    for (int t = 1; t <= 2; t++) {
                        Parallel.setThreads(t);
                        String where = "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " bias=" + withBias + " threads=" + t;
                        float[] want = start.clone();
                        for (int i = 0; i < m && withBias; i++) {
                            System.arraycopy(bias, 1, want, cOff + i * ldc, n);
                        }
                        MatmulF32.gemm(m, n, k, o.a(), la.off(), la.rs(), la.cs(), o.b(), lb.off(), lb.rs(), lb.cs(), want, cOff, ldc, withBias);
                        float[] got = start.clone();
                        MatmulF32.gemmPlusBias(m, n, k, o.a(), la.off(), la.rs(), la.cs(), o.b(), lb.off(), lb.rs(), lb.cs(), bias, 1, got, cOff, ldc,
                                null);
                        assertArrayEquals(want, got, where);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                want[cOff + i * ldc + j] = 2 * want[cOff + i * ldc + j] + 1;
                            }
                        }
                        got = start.clone();
                        MatmulF32.gemmPlusBias(m, n, k, o.a(), la.off(), la.rs(), la.cs(), o.b(), lb.off(), lb.rs(), lb.cs(), bias, 1, got, cOff, ldc,
                                (c, off, ld, rows, cols) -> {
                                    for (int r = 0; r < rows; r++) {
                                        for (int j = 0; j < cols; j++) {
                                            c[off + r * ld + j] = 2 * c[off + r * ld + j] + 1;
                                        }
                                    }
                                });
                        assertArrayEquals(want, got, where + " with the epilogue");
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * The vector packers copy whole panels and leave edge panels and ragged depths to the scalar twin:
     * this compares them element by element (the panels of both, zero padding included) over sizes around
     * the panel and transpose-block edges and over every stride layout.
     */
    @Test
    void vectorPackingMatchesTheScalarTwin() {
        if (!Simd.ENABLED) {
            return;
        }
        Random rng = new Random(6);
        int mr = MatmulF32.MR, nr = MatmulF32.NR;
        for (int rows : new int[] {1, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 16, 17, 33}) {
            for (int depth : new int[] {1, 7, 8, 9, 16, 17, 23, 24, 25}) {
                for (boolean trans : new boolean[] {false, true}) {
                    int pad = rng.nextInt(3);
                    int off = rng.nextInt(4);
                    // the block is [rows, depth] for A and [depth, rows] for B, stored with a padded leading dimension
                    float[] src = random(rng, off + (rows + pad) * (depth + pad) + 1);
                    int rs = trans ? 1 : depth + pad, cs = trans ? rows + pad : 1;
                    float[] want = new float[roundUp(rows, mr) * depth + 3];
                    float[] got = new float[want.length];
                    Arrays.fill(want, 7f);
                    Arrays.fill(got, 7f);
                    MatmulPackF32Scalar.packA(rows, depth, src, off, rs, cs, want, 2, mr);
                    MatmulPackF32.packA(rows, depth, src, off, rs, cs, got, 2);
                    assertArrayEquals(want, got, "packA rows=" + rows + " depth=" + depth + " trans=" + trans);
                    int brs = trans ? 1 : rows + pad, bcs = trans ? depth + pad : 1;
                    want = new float[roundUp(rows, nr) * depth + 3];
                    got = new float[want.length];
                    Arrays.fill(want, 7f);
                    Arrays.fill(got, 7f);
                    MatmulPackF32Scalar.packB(depth, rows, src, off, brs, bcs, want, 1, nr);
                    MatmulPackF32.packB(depth, rows, src, off, brs, bcs, got, 1);
                    assertArrayEquals(want, got, "packB cols=" + rows + " depth=" + depth + " trans=" + trans);
                }
            }
        }
    }

    /**
     * Threads packing a shared operand write neighbouring panels of one buffer in any order, so the vector
     * packing of a panel must not write a float of the next one, not even one it would overwrite itself: packing
     * every panel of A on its own, last panel first, gives the panels of one call.
     */
    @Test
    void packingSomePanelsLeavesTheirNeighboursAlone() {
        if (!Simd.ENABLED) {
            return;
        }
        Random rng = new Random(9);
        int mr = MatmulF32.MR;
        int rows = 5 * mr;
        for (int depth : new int[] {1, 8, 9, 16, 24, 31}) {
            for (boolean trans : new boolean[] {false, true}) {
                float[] src = random(rng, rows * depth);
                int rs = trans ? 1 : depth, cs = trans ? rows : 1;
                float[] whole = new float[rows * depth];
                MatmulPackF32.packA(rows, depth, src, 0, rs, cs, whole, 0);
                float[] byPanel = new float[whole.length];
                for (int end = rows; end > 0; end -= 2 * mr) {
                    int start = Math.max(0, end - 2 * mr);
                    MatmulPackF32.packA(end - start, depth, src, start * rs, rs, cs, byPanel, start * depth);
                }
                assertArrayEquals(whole, byPanel, "depth=" + depth + " trans=" + trans);
            }
        }
    }

    /**
     * The scalar micro-kernel computes each element as one lane of the vector kernel does (a fused
     * multiply-add chain, then added to C), so in the vector panel layout it gives the same bits: that is
     * what lets {@link KernelWarmup} run it until the vector kernel is compiled without changing a result.
     */
    @Test
    void scalarTileGivesTheVectorTilesBits() {
        if (!Simd.ENABLED) {
            return;
        }
        Random rng = new Random(7);
        int nr = MatmulF32.NR;
        // the height of full panels, and of the edge panels of six-row blocks
        for (int mr : MatmulF32.MR == 6 ? new int[] {6, 4} : new int[] {MatmulF32.MR}) {
            for (int kc : new int[] {0, 1, 2, 3, 7, 8, 28, 100, 256, 263}) {
                for (int mode = 0; mode < 3; mode++) {
                    boolean overwrite = mode > 0;
                    float[] bias = mode == 2 ? random(rng, 1 + nr) : null;
                    float[] ap = random(rng, 3 + kc * mr);
                    float[] bp = random(rng, 5 + kc * nr);
                    int ldc = nr + 3;
                    float[] want = random(rng, 2 + mr * ldc);
                    float[] got = want.clone();
                    MatmulTileF32.tile(kc, mr, ap, 3, bp, 5, want, 2, ldc, overwrite, bias, 1);
                    MatmulTileF32Scalar.tile(kc, mr, nr, ap, 3, bp, 5, got, 2, ldc, overwrite, bias, 1);
                    assertArrayEquals(want, got, "mr=" + mr + " kc=" + kc + " overwrite=" + overwrite + " bias=" + (bias != null));
                }
            }
        }
    }

    /** Products on the scalar twins, in the vector layout, equal the vector products bit for bit, on one thread and two. */
    @Test
    void productsOnTheScalarTwinsGiveTheVectorProductsBits() {
        if (!Simd.ENABLED) {
            return;
        }
        int saved = Parallel.threads();
        try {
            for (int t : new int[] {1, 2}) {
                Parallel.setThreads(t);
                Random rng = new Random(8);
                int[][] shapes = {{9, 35, 28}, {37, 300, 70}, {301, 45, 61}, {66, 83, DEEP}, {128, 512, 784}};
                for (int[] s : shapes) {
                    for (int mode = 0; mode < 8; mode++) {
                        boolean ta = (mode & 1) != 0, tb = (mode & 2) != 0, acc = (mode & 4) != 0;
                        int m = s[0], n = s[1], k = s[2];
                        Layout la = Layout.of(m, k, ta, 1, 0);
                        Layout lb = Layout.of(k, n, tb, 2, 0);
                        float[] a = random(rng, la.size());
                        float[] b = random(rng, lb.size());
                        float[] want = random(rng, m * n);
                        float[] got = want.clone();
                        MatmulF32.gemm(m, n, k, a, la.off(), la.rs(), la.cs(), b, lb.off(), lb.rs(), lb.cs(), want, 0, n, acc);
                        MatmulF32.useScalarKernelsUntilCompiled();
                        try {
                            MatmulF32.gemm(m, n, k, a, la.off(), la.rs(), la.cs(), b, lb.off(), lb.rs(), lb.cs(), got, 0, n, acc);
                        } finally {
                            MatmulF32.vectorTileCompiled();
                            MatmulF32.vectorPackingCompiled();
                        }
                        assertArrayEquals(want, got, "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " acc=" + acc + " threads=" + t);
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    @Test
    void batchedWithBroadcastAndStrides() {
        Random rng = new Random(4);
        for (int[] s : new int[][] {{5, 7, 9, 11}, {3, 40, 50, 60}, {64, 8, 8, 8}, {2, 1, 33, 17}, {0, 3, 3, 3}}) {
            int batch = s[0], m = s[1], n = s[2], k = s[3];
            for (int mode = 0; mode < 4; mode++) {
                boolean broadcastA = (mode & 1) != 0, broadcastB = (mode & 2) != 0;
                int aBatch = broadcastA ? 0 : m * k, bBatch = broadcastB ? 0 : k * n;
                float[] a = random(rng, Math.max(1, batch * m * k));
                float[] b = random(rng, Math.max(1, batch * k * n));
                float[] c = random(rng, batch * m * n + 1);
                float[] c0 = c.clone();
                boolean acc = mode == 3;
                // A is read transposed: A_t[i, p] at t*aBatch + p*m + i.
                MatmulF32.batched(batch, m, n, k, a, 0, aBatch, 1, m, b, 0, bBatch, n, 1, c, 0, m * n, n, acc);
                for (int t = 0; t < batch; t++) {
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = acc ? c0[t * m * n + i * n + j] : 0;
                            for (int p = 0; p < k; p++) {
                                sum += (double) a[t * aBatch + p * m + i] * b[t * bBatch + p * n + j];
                            }
                            assertEquals(sum, c[t * m * n + i * n + j], 1e-5 * (k + 1), "batch " + t + " mode " + mode);
                        }
                    }
                }
                assertEquals(c0[batch * m * n], c[batch * m * n]);
            }
        }
    }

    @Test
    void rejectsNegativeSizes() {
        float[] x = new float[4];
        try {
            MatmulF32.gemm(-1, 1, 1, x, 0, 1, 1, x, 0, 1, 1, x, 0, 1, false);
            throw new AssertionError("expected IllegalArgumentException");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("m=-1"));
        }
    }
}
