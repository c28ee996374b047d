package fathom.cpu;

import java.util.Arrays;

/**
 * Float32 matrix multiply over strided arrays: {@code C[i, j] = (accumulate ? C[i, j] : 0) + sum_p A[i, p] * B[p, j]}.
 *
 * <p>Shapes: A is {@code [m, k]} with {@code A[i, p] = a[aOff + i*aRowStride + p*aColStride]}, B is
 * {@code [k, n]} with {@code B[p, j] = b[bOff + p*bRowStride + j*bColStride]}, and C is row-major
 * {@code [m, n]} at {@code c[cOff + i*ldc + j]}. Any strides are allowed, so a transposed view (the
 * {@code A^T·B} and {@code A·B^T} of autograd's backward) needs no copy.
 *
 * <p>Large products run the GotoBLAS/BLIS scheme: for each {@code NC}-column block of B and
 * {@code KC}-deep slice, B is packed into {@code NR}-wide panels (kept in L3/L2), each {@code MC}-row
 * block of A into {@code MR}-tall panels (kept in L2), and a register-blocked micro-kernel
 * ({@link MatmulTileF32}, or {@link MatmulTileF32Scalar} when vectors are off) computes {@code MR x NR}
 * tiles while one B panel stays in L1. Threads of {@link Parallel} split C into column (or row) strips,
 * each packing its own panels into per-thread buffers, so steady-state calls allocate nothing. Products
 * with {@code m == 1} or {@code n == 1} skip packing ({@link MatmulRowF32}), and tiny ones run a
 * direct loop.
 */
public final class MatmulF32Base {
    private static final boolean VECTOR = Simd.ENABLED;
    static final int MR = VECTOR ? MatmulTileF32.MR : MatmulTileF32Scalar.MR;
    static final int NR = VECTOR ? MatmulTileF32.NR : MatmulTileF32Scalar.NR;
    /** Depth of one packed slice: one A panel plus one B panel ({@code (MR+NR)*KC*4} bytes) fit in L1. */
    static final int KC = 256;
    /** Rows of a packed A block: {@code MC*KC*4} bytes, about a third of the 512 KiB L2. */
    static final int MC = (144 / MR) * MR;
    /** Columns of a packed B block: bounded by L3 and by each thread's strip. */
    static final int NC = (4096 / NR) * NR;
    /** Below this many multiply-adds a direct loop beats packing. */
    private static final long TINY = 4096;
    /** Below this many multiply-adds waking the workers costs more than it saves. */
    private static final long PARALLEL_MIN = 1L << 17;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private MatmulF32Base() {}

    /**
     * {@code C[i, j] = (accumulate ? C[i, j] : 0) + sum_p A[i, p] * B[p, j]} for {@code i < m, j < n}.
     *
     * <p>See the class comment for the layout of each operand. With {@code k == 0} the product is zero,
     * so C is cleared (or left alone when accumulating).
     */
    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRowStride, int aColStride,
                            float[] b, int bOff, int bRowStride, int bColStride,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("matmul sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        long work = (long) m * n * k;
        if (work <= TINY) {
            direct(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate);
        } else if (m == 1) {
            row(n, k, a, aOff, aColStride, b, bOff, bRowStride, bColStride, c, cOff, 1, accumulate);
        } else if (n == 1) {
            // C^T = B^T · A^T: the column of C is a row vector times A^T.
            row(m, k, b, bOff, bRowStride, a, aOff, aColStride, aRowStride, c, cOff, ldc, accumulate);
        } else {
            packed(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate);
        }
    }

    /**
     * Batched matmul: for each {@code t < batch}, {@code C_t = (accumulate ? C_t : 0) + A_t · B_t} with
     * {@code A_t} at {@code aOff + t*aBatchStride}, {@code B_t} at {@code bOff + t*bBatchStride} and
     * {@code C_t} at {@code cOff + t*cBatchStride}, each laid out as in {@link #gemm}.
     *
     * <p>A batch stride of 0 broadcasts that operand. Many small products run one per thread; large ones
     * run one after another, each split across the threads.
     */
    public static void batched(int batch, int m, int n, int k,
                               float[] a, int aOff, int aBatchStride, int aRowStride, int aColStride,
                               float[] b, int bOff, int bBatchStride, int bRowStride, int bColStride,
                               float[] c, int cOff, int cBatchStride, int ldc, boolean accumulate) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        }
        long work = (long) m * n * k;
        if (batch > 1 && Parallel.threads() > 1 && work < 16 * PARALLEL_MIN && work * batch >= PARALLEL_MIN) {
            Parallel.forRange(batch, Math.max(1, batch / (4 * Parallel.threads())), (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    gemm(m, n, k, a, aOff + t * aBatchStride, aRowStride, aColStride,
                            b, bOff + t * bBatchStride, bRowStride, bColStride,
                            c, cOff + t * cBatchStride, ldc, accumulate);
                }
            });
            return;
        }
        for (int t = 0; t < batch; t++) {
            gemm(m, n, k, a, aOff + t * aBatchStride, aRowStride, aColStride,
                    b, bOff + t * bBatchStride, bRowStride, bColStride,
                    c, cOff + t * cBatchStride, ldc, accumulate);
        }
    }

    /** The unblocked triple loop for products too small to repay packing. */
    private static void direct(int m, int n, int k,
                               float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * ars;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * bcs;
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[ai + p * acs] * b[bj + p * brs];
                }
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? c[at] + s : s;
            }
        }
    }

    /** {@code c[j*cStride] (+)= sum_p x[p*xStride] * B[p, j]}: one row of C without packing. */
    private static void row(int n, int k, float[] x, int xOff, int xStride, float[] b, int bOff, int brs, int bcs,
                            float[] c, int cOff, int cStride, boolean accumulate) {
        float[] xs = x;
        int xo = xOff;
        if (xStride != 1) {
            Workspace ws = WORKSPACE.get();
            xs = ws.row(k);
            for (int p = 0; p < k; p++) {
                xs[p] = x[xOff + p * xStride];
            }
            xo = 0;
        }
        float[] xc = xs;
        int xco = xo;
        RangeBody body = (j0, j1) -> {
            if (VECTOR) {
                MatmulRowF32.run(k, xc, xco, b, bOff, brs, bcs, c, cOff, cStride, accumulate, j0, j1);
            } else {
                MatmulRowF32Scalar.run(k, xc, xco, b, bOff, brs, bcs, c, cOff, cStride, accumulate, j0, j1);
            }
        };
        if ((long) n * k >= PARALLEL_MIN) {
            Parallel.forRange(n, 64, body);
        } else {
            body.run(0, n);
        }
    }

    private static void packed(int m, int n, int k,
                               float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN) {
            block(0, m, 0, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
            return;
        }
        int rowTiles = (m + MR - 1) / MR;
        int colTiles = (n + NR - 1) / NR;
        // Split the dimension with more tiles: each strip then repacks only the other operand's panels.
        // A grain of tiles/threads makes exactly one strip per thread: more strips would repack more panels.
        if (colTiles >= rowTiles || colTiles >= 4 * threads) {
            Parallel.forRange(colTiles, Math.max(1, colTiles / threads), (t0, t1) -> block(0, m, t0 * NR, Math.min(n, t1 * NR), k,
                    a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate));
        } else {
            Parallel.forRange(rowTiles, Math.max(1, rowTiles / threads), (t0, t1) -> block(t0 * MR, Math.min(m, t1 * MR), 0, n, k,
                    a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate));
        }
    }

    /** The blocked product for the strip {@code C[i0:i1, j0:j1]} on the calling thread. */
    private static void block(int i0, int i1, int j0, int j1, int k,
                              float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                              float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) {
            // The micro-kernels only add, so a fresh product starts from a cleared strip.
            for (int i = i0; i < i1; i++) {
                Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j1, 0f);
            }
        }
        Workspace ws = WORKSPACE.get();
        int ncMax = Math.min(NC, roundUp(j1 - j0, NR));
        float[] bp = ws.packB(Math.min(KC, k) * ncMax);
        float[] ap = ws.packA(Math.min(KC, k) * Math.min(MC, roundUp(i1 - i0, MR)));
        float[] edge = ws.edge;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            // Equal slices: a short last slice would pay the C load/store of a full pass for little work.
            int kcEven = (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);
            for (int pc = 0; pc < k; pc += kcEven) {
                int kc = Math.min(kcEven, k - pc);
                MatmulPackF32Base.packB(kc, nc, b, bOff + pc * brs + jc * bcs, brs, bcs, bp, NR);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    MatmulPackF32Base.packA(mc, kc, a, aOff + ic * ars + pc * acs, ars, acs, ap, MR);
                    macro(mc, nc, kc, ap, bp, c, cOff + ic * ldc + jc, ldc, edge);
                }
            }
        }
    }

    /** Runs the micro-kernel over every tile of one packed {@code mc x nc} block of C, adding into C. */
    private static void macro(int mc, int nc, int kc, float[] ap, float[] bp, float[] c, int cAt, int ldc, float[] edge) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bAt = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int aAt = ir * kc;
                int at = cAt + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    tile(kc, ap, aAt, bp, bAt, c, at, ldc);
                } else {
                    // Edge tile: the kernel writes a full tile, so it runs on a zeroed scratch tile.
                    Arrays.fill(edge, 0f);
                    tile(kc, ap, aAt, bp, bAt, edge, 0, NR);
                    for (int r = 0; r < mr; r++) {
                        int row = at + r * ldc;
                        for (int j = 0; j < nr; j++) {
                            c[row + j] += edge[r * NR + j];
                        }
                    }
                }
            }
        }
    }

    private static void tile(int kc, float[] ap, int aAt, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        if (VECTOR) {
            MatmulTileF32.tile(kc, ap, aAt, bp, bAt, c, cAt, ldc, false);
        } else {
            MatmulTileF32Scalar.tile(kc, ap, aAt, bp, bAt, c, cAt, ldc, false);
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Per-thread pack buffers, grown on demand and then reused by every later call. */
    private static final class Workspace {
        final float[] edge = new float[MR * NR];
        private float[] a = new float[0];
        private float[] b = new float[0];
        private float[] row = new float[0];

        float[] packA(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] packB(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }

        float[] row(int size) {
            if (row.length < size) {
                row = new float[size];
            }
            return row;
        }
    }
}
