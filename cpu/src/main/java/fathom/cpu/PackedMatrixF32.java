package fathom.cpu;

import java.util.Arrays;

/**
 * A matrix B [k, n] packed once into the micro-kernel's panels, for products {@code C = A·B} repeated
 * with many small A: a recurrence multiplies its hidden weights by a fresh [batch, hidden] state at
 * every step, and packing the weights again each time would cost as much as the product.
 *
 * <p>B is split along k into slices of at most {@link MatmulF32#KC} (equal sizes, as
 * {@link MatmulF32} splits) and each slice into {@code NR}-wide panels ({@link MatmulF32#packB}).
 * {@link #multiply} packs A itself, which is small, once per product, and splits the panels between threads.
 */
final class PackedMatrixF32 {
    private static final int MR = MatmulF32.MR;
    private static final int NR = MatmulF32.NR;
    /** Below this many multiply-adds the product runs on the calling thread. */
    private static final long PARALLEL_MIN = 1L << 17;
    private static final ThreadLocal<float[][]> WORKSPACE = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[MR * NR]});

    private final int k;
    private final int n;
    private final int panels;
    private final int[] sliceStart;
    private final float[][] slices;

    private PackedMatrixF32(int k, int n, int[] sliceStart, float[][] slices) {
        this.k = k;
        this.n = n;
        this.panels = (n + NR - 1) / NR;
        this.sliceStart = sliceStart;
        this.slices = slices;
    }

    /** Packs {@code B[p, j] = b[off + p*rs + j*cs]} for {@code p < k, j < n} (any strides, so Wᵀ needs no copy). */
    static PackedMatrixF32 pack(int k, int n, float[] b, int off, int rs, int cs) {
        int count = Math.max(1, (k + MatmulF32.KC - 1) / MatmulF32.KC);
        int depth = (k + count - 1) / count;
        int[] start = new int[count + 1];
        float[][] slices = new float[count][];
        int panels = (n + NR - 1) / NR;
        for (int s = 0; s < count; s++) {
            start[s] = Math.min(k, s * depth);
            start[s + 1] = Math.min(k, (s + 1) * depth);
            int kc = start[s + 1] - start[s];
            slices[s] = new float[kc * panels * NR];
            MatmulF32.packB(kc, n, b, off + start[s] * rs, rs, cs, slices[s], 0);
        }
        return new PackedMatrixF32(k, n, start, slices);
    }

    int rows() {
        return k;
    }

    int columns() {
        return n;
    }

    /**
     * {@code C[i, j] = (accumulate ? C[i, j] : 0) + Σ_p A[i, p]·B[p, j]} for {@code i < m}, with
     * {@code A[i, p] = a[aOff + i*ars + p*acs]} and C row-major at {@code c[cOff + i*ldc + j]}.
     */
    void multiply(int m, float[] a, int aOff, int ars, int acs, float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        // A is packed once, on the calling thread, before any thread starts: every chunk reads all of it.
        // Packed per chunk instead (four chunks per thread), the packing of a [32, 256] recurrent state was
        // 12% of a two-thread char-LSTM step.
        int mPad = (m + MR - 1) / MR * MR;
        float[][] ws = WORKSPACE.get();
        if (ws[0].length < mPad * k) {
            ws[0] = new float[mPad * k];
        }
        float[] ap = ws[0];
        for (int s = 0; s < slices.length; s++) {
            int pc = sliceStart[s];
            MatmulF32.packA(m, sliceStart[s + 1] - pc, a, aOff + pc * acs, ars, acs, ap, pc * mPad);
        }
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN || panels < 2) {
            run(0, panels, m, mPad, ap, c, cOff, ldc);
        } else {
            // several chunks per thread, claimed as threads come free: on a shared machine a thread that is
            // descheduled for a while then holds up only a small part of each product
            Parallel.forRange(panels, Math.max(1, panels / (4 * threads)), (p0, p1) -> run(p0, p1, m, mPad, ap, c, cOff, ldc));
        }
    }

    /**
     * Adds the product's panels p0..p1 (columns p0·NR up to p1·NR) into C on the calling thread, from A
     * packed for every k slice: slice s at {@code ap[sliceStart[s]·mPad]}, its MR-row panels one after another.
     */
    private void run(int p0, int p1, int m, int mPad, float[] ap, float[] c, int cOff, int ldc) {
        float[] edge = null;
        for (int s = 0; s < slices.length; s++) {
            int pc = sliceStart[s];
            int kc = sliceStart[s + 1] - pc;
            float[] bp = slices[s];
            int aSlice = pc * mPad;
            for (int p = p0; p < p1; p++) {
                int jr = p * NR;
                int nr = Math.min(NR, n - jr);
                int bAt = p * kc * NR;
                for (int ir = 0; ir < m; ir += MR) {
                    int mr = Math.min(MR, m - ir);
                    int height = MatmulPackF32Scalar.panelHeight(mr, MR);
                    int at = cOff + ir * ldc + jr;
                    if (mr == height && nr == NR) {
                        MatmulF32.tile(kc, height, ap, aSlice + ir * kc, bp, bAt, c, at, ldc, false, null, 0);
                    } else {
                        if (edge == null) {
                            edge = WORKSPACE.get()[1];
                        }
                        Arrays.fill(edge, 0f);
                        MatmulF32.tile(kc, height, ap, aSlice + ir * kc, bp, bAt, edge, 0, NR, false, null, 0);
                        for (int r = 0; r < mr; r++) {
                            for (int j = 0; j < nr; j++) {
                                c[at + r * ldc + j] += edge[r * NR + j];
                            }
                        }
                    }
                }
            }
        }
    }
}
