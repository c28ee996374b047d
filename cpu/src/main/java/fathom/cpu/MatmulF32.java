package fathom.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Float32 matrix multiply over strided arrays: {@code C[i, j] = (accumulate ? C[i, j] : 0) + sum_p A[i, p] * B[p, j]}.
 *
 * <p>Shapes: A is {@code [m, k]} with {@code A[i, p] = a[aOff + i*aRowStride + p*aColStride]}, B is
 * {@code [k, n]} with {@code B[p, j] = b[bOff + p*bRowStride + j*bColStride]}, and C is row-major
 * {@code [m, n]} at {@code c[cOff + i*ldc + j]}. Any strides are allowed, so a transposed view (the
 * {@code A^T·B} and {@code A·B^T} of autograd's backward) needs no copy.
 *
 * <p>Large products run the GotoBLAS/BLIS scheme: for each {@code NC}-column block of B and {@code KC}-deep
 * slice, B is packed into {@code NR}-wide panels (kept in L3/L2), each {@code MC}-row block of A into
 * {@code MR}-tall panels (kept in L2), and a register-blocked micro-kernel ({@link MatmulTileF32}, or
 * {@link MatmulTileF32Scalar} when vectors are off or not yet compiled) computes {@code MR x NR} tiles
 * while one B panel is reused from L1 or L2 ({@link #KC}). When a strip's B, every slice of it, fits a few
 * MiB, each block of C instead takes all the k slices in turn, so that it stays in L2 between them ({@link #block}). Packing
 * copies with vectors where a direction is contiguous ({@link MatmulPackF32}, scalar twin
 * {@link MatmulPackF32Scalar}), since on the products training runs (batch 32 to 128 against 256 to 1024
 * features) packing costs a large share of the multiply-adds: a packed element costs 10 to 70
 * multiply-adds' time with scalar loops, and each is used only m (or n) times. Products with {@code m == 1}
 * or {@code n == 1} skip packing ({@link MatmulRowF32}), and tiny ones run a direct loop.
 *
 * <p>Threads of {@link Parallel} split C into column strips when n has four column tiles per thread and
 * C is no taller than wide (in tiles), else along the dimension with more tiles; but a product that would
 * split by columns, whose B is small (at most 1 MiB packed) and whose every thread has enough rows to repay
 * packing it, splits by rows with each thread packing all of B for itself ({@link #rowsWithOwnB}), in one
 * parallel phase. Otherwise the operand every
 * strip reads in full (A for column strips, B for row strips) is packed once, by all threads together,
 * into a buffer of the calling thread before the strips start; each strip packs only its own part of
 * the other operand into per-thread buffers. Strips are claimed dynamically, up to four per thread.
 * The former scheme, one strip per thread each packing the shared operand itself, paid that
 * packing once per thread, and when the OS descheduled one thread (the cores are shared) left the other
 * waiting for its whole half.
 *
 * <p>Two-thread timings that swung several-fold between JVM runs had a second cause, in the kernel's
 * compiled code: see {@link MatmulTileF32}'s epilogue. With that fixed, 16 of 16 runs of a two-thread
 * 512x300x512 product ran at 53-78 GFLOP/s on the loaded VM, where half had run at 5-10.
 *
 * <p>Measured against the former code in one JVM, alternating (thread CPU time on one thread, rounds of
 * 0.1 s; a 2-core Zen 3 VM shared with other jobs, so each ratio is good to about ±10%; FMA-loop peak 96
 * GFLOP/s per thread in that run): square sizes 256 to 2048 0.98-1.10x, at 74-81 GFLOP/s (the kernel alone
 * runs at about the FMA loop's rate, so what is left is packing and C traffic); MLP 784-512-256 at batch
 * 128: forward {@code X·Wᵀ} 1.11-1.12x, {@code dY·W} 1.00-1.12x, weight gradients 1.17-1.22x; GPT
 * (2048 tokens, width 128) projections 1.0-1.06x, their weight gradients 1.17-1.64x; LSTM (batch 32,
 * hidden 256) gates {@code X·Wᵀ} 1.36x, input gradient 1.08x, weight gradient 1.29x. Tried and dropped:
 * skipping the packing of a row-major A (its kernel was 8-12% slower), tiles with 9 to 12 accumulators
 * (see {@link MatmulTileF32}) and, for {@code X·Wᵀ} with 32 rows, dot-product
 * tiles that read both operands unpacked (2x4: 39-42 GFLOP/s, 3x3: 32, against 48-53 packed).
 *
 * <p>On two threads, measured in a quiet minute of the VM (load average about 1, FMA-loop peak 204 GFLOP/s
 * for both threads; medians of 0.1 s rounds; before the column-strip rule above), then {@code torch.mm}
 * of PyTorch 1.13 on two threads right after: squares 512 to 2048 153-161 GFLOP/s (75-79% of that peak)
 * against torch's 164-175; MLP 784-512-256 at batch 128: forward {@code X·Wᵀ} 134 and 105 against 156
 * and 152, {@code dY·W} 158 against 160, weight gradients 152-153 against 145-151; GPT qkv {@code X·Wᵀ}
 * 163 against 156, {@code [2048, 512]·[512, 128]ᵀ} 147 against 160, weight gradient 160 against 157; LSTM
 * gates 129 against 108, input gradient 121 against 116, weight gradient 139 against 87. The squares
 * stay 6-9% behind torch and short of 85% of peak; the MLP forwards are furthest behind, because packing
 * W for {@code X·Wᵀ} (a transpose, about 0.3 ns per element) is paid again for every batch of 128 rows.
 *
 * <p>Steady-state calls allocate no arrays (a multi-threaded call allocates only its few small loop
 * objects): pack buffers are per thread and grow to the largest product seen. The shared buffer holds
 * a whole packed operand ({@code k * roundUp(m or n)} floats, 16 MiB for a 2048 x 2048 operand).
 */
public final class MatmulF32 {
    private static final boolean VECTOR = Simd.ENABLED;
    static final int MR = VECTOR ? MatmulTileF32.MR : MatmulTileF32Scalar.MR;
    static final int NR = VECTOR ? MatmulTileF32.NR : MatmulTileF32Scalar.NR;
    /**
     * Most depth of one packed slice. Every slice costs each tile of C an epilogue (C loaded, added to and stored)
     * and the block its packing passes, so fewer, deeper slices pay off, even though a B panel ({@code NR*KC*4} =
     * 64 KiB) then streams from L2 instead of staying in the 32 KiB L1. KC 1024 against the former 256 (A and B
     * panels both in L1, as BLIS sizes them), with MC 96 or 144, alternating in rotated order in one JVM on two
     * threads (24-30 rounds each, beside a control that repeated the first setting and read 0.98-1.01x): squares
     * 512 to 2048 1.03-1.08x; GPT's {@code [2048, 512]·[128, 512]ᵀ} 1.02-1.06x and its weight gradients
     * ({@code [384, 2048]·[2048, 128]}, {@code [128, 2048]·[2048, 512]}) 1.00-1.10x; the MLP's
     * {@code [128, 784]·[512, 784]ᵀ} 1.04-1.14x; the char-LSTM's weight gradients (k = 2048) 0.97-1.09x; 1024³ on one
     * thread 1.07x. Products with k up to 256 keep their one slice (GPT's {@code [2048, 128]·[384, 128]ᵀ} with MC 96:
     * 1.03x).
     */
    static final int KC = 1024;
    /** Rows of a packed A block: {@code MC*KC*4} = 384 KiB, which leaves room in the 512 KiB L2 for the B panel streaming through. */
    static final int MC = (96 / MR) * MR;
    /** Columns of a packed B block: {@code KC*NC*4} = 4 MiB, in L3; bounded too by each thread's strip. */
    static final int NC = (1024 / NR) * NR;
    /** The most floats of packed B (every k slice of a strip) that {@link #block} holds to keep each block of C in L2 across the slices: 4 MiB. */
    private static final int B_ALL_SLICES = 1 << 20;
    /** Below this many multiply-adds a direct loop beats packing. */
    private static final long TINY = 4096;
    /** Below this many multiply-adds waking the workers costs more than it saves. */
    private static final long PARALLEL_MIN = 1L << 17;
    /** The most floats of packed B that {@link #rowsWithOwnB} has every thread pack for itself: 1 MiB, a Zen 4 core's L2. */
    private static final int OWN_B_MAX = 1 << 18;
    /**
     * Rows of C per thread from which {@link #rowsWithOwnB} repays each thread's packing all of B, when B's rows are
     * contiguous (a copy per panel row); a B that packing transposes, about three times dearer per float, needs four
     * times as many.
     */
    private static final int OWN_B_MIN_ROWS = 64;
    /** Counts the products {@link #rowsWithOwnB} has started, so that a thread can tell whether its packed B is the current product's. */
    private static final AtomicLong OWN_B_PRODUCTS = new AtomicLong();

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);
    /**
     * Whether the packed products run the vector micro-kernel and the vector packing, or their scalar
     * twins ({@link MatmulTileF32Scalar}, {@link MatmulPackF32Scalar}) in the same panel layout. Until C2
     * compiles them, Vector API kernels run the API's Java fallback, which allocates every vector: the
     * demo's first batch spent 0.56 s in the first layer's forward product alone, and 0.13 s on the scalar
     * twins, which the interpreter and C1 run at plain scalar speed. {@link KernelWarmup}
     * turns both off while it gets the vector kernels compiled, and each back on once its kernels are.
     * The twins give the vector kernels' bits exactly, so when the switches happen changes no result.
     */
    private static volatile boolean vectorTile = VECTOR;
    private static volatile boolean vectorPacking = VECTOR;

    private MatmulF32() {}

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
        multiply(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, null, 0, c, cOff, ldc, accumulate, null, true);
    }

    /**
     * {@code C[i, j] = bias[biasOff + j] + sum_p A[i, p] * B[p, j]}, a linear layer's forward, with operands laid
     * out as in {@link #gemm} ({@code bias} null for none), then {@code epilogue} (null for none) over every block
     * of C as soon as the block's sums are complete, on the thread that computed it, where a pass of its own after
     * the product would read C back from memory: a linear layer and its activation, or the residual it is added to.
     *
     * <p>Packed products add the bias in the micro-kernel's epilogue, to the first k slice's sums, where filling C
     * with it first and then adding the product made one more pass over C. Measured against that fill, alternating
     * in one JVM (two threads, 25 paired rounds of 0.1 s, two runs): GPT's {@code [2048, 128]·[512, 128]ᵀ} 6% faster
     * (18 and 19 of 25 rounds), {@code [2048, 512]·[128, 512]ᵀ} 3-8% (19 and 22), the MLP's first layer
     * {@code [128, 784]·[512, 784]ᵀ} 3-4% (14 and 17). The bits are those of C filled with the bias and
     * {@code gemm(..., accumulate = true)}: each element is its first slice's sum plus the bias, then plus each
     * later slice's sum.
     */
    public static void gemmPlusBias(int m, int n, int k,
                                    float[] a, int aOff, int aRowStride, int aColStride,
                                    float[] b, int bOff, int bRowStride, int bColStride,
                                    float[] bias, int biasOff, float[] c, int cOff, int ldc, Epilogue epilogue) {
        multiply(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, bias, biasOff, c, cOff, ldc, false, epilogue, true);
    }

    /**
     * What a product does to its finished rows of C while they are still in cache: {@link #gemmPlusBias} calls it
     * once for each block of C whose sums are complete, from whichever thread computed the block. It must not run a
     * product itself: that product would reuse the thread's pack buffers, which hold the operands the rest of the
     * running product still reads.
     */
    @FunctionalInterface
    public interface Epilogue {
        /** Rewrites C's block of {@code rows x cols} floats at {@code c[off + r*ldc + j]} (and may write elsewhere at matching places). */
        void apply(float[] c, int off, int ldc, int rows, int cols);
    }

    /**
     * The micro-kernel's tile, rows x columns of C, such as {@code "6x16"}: it depends on the vector width and on a JVM
     * flag ({@link MatmulTileF32}).
     */
    public static String tileShape() {
        return MR + "x" + NR;
    }

    /** Runs the scalar twins of the micro-kernel and of the packing until {@link #vectorTileCompiled} and {@link #vectorPackingCompiled}. */
    static void useScalarKernelsUntilCompiled() {
        vectorTile = false;
        vectorPacking = false;
    }

    /** Runs the vector micro-kernel again (when {@link Simd#ENABLED}): C2 has compiled it. */
    static void vectorTileCompiled() {
        vectorTile = VECTOR;
    }

    /** Runs the vector packing again (when {@link Simd#ENABLED}): C2 has compiled it. */
    static void vectorPackingCompiled() {
        vectorPacking = VECTOR;
    }

    /**
     * {@link #gemm}, plus the row vector {@code bias} when not null (then {@code accumulate} is false), then the
     * {@code epilogue} when not null; {@code parallel} is false inside a loop that already keeps every thread busy.
     */
    private static void multiply(int m, int n, int k,
                                 float[] a, int aOff, int aRowStride, int aColStride,
                                 float[] b, int bOff, int bRowStride, int bColStride,
                                 float[] bias, int biasOff, float[] c, int cOff, int ldc, boolean accumulate, Epilogue epilogue,
                                 boolean parallel) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("matmul sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        long work = (long) m * n * k;
        if (bias != null && (work <= TINY || m == 1 || n == 1)) {
            // the unpacked paths add the product to C filled with the bias
            for (int i = 0; i < m; i++) {
                System.arraycopy(bias, biasOff, c, cOff + i * ldc, n);
            }
            bias = null;
            accumulate = true;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
        } else if (work <= TINY) {
            direct(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate);
        } else if (m == 1) {
            row(n, k, a, aOff, aColStride, b, bOff, bRowStride, bColStride, c, cOff, 1, accumulate);
        } else if (n == 1) {
            // C^T = B^T · A^T: the column of C is a row vector times A^T.
            row(m, k, b, bOff, bRowStride, a, aOff, aColStride, aRowStride, c, cOff, ldc, accumulate);
        } else {
            packed(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, bias, biasOff, c, cOff, ldc, accumulate, epilogue,
                    parallel);
            return; // the packed product applies the epilogue block by block
        }
        if (epilogue != null) {
            epilogue.apply(c, cOff, ldc, m, n);
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
                    multiply(m, n, k, a, aOff + t * aBatchStride, aRowStride, aColStride,
                            b, bOff + t * bBatchStride, bRowStride, bColStride,
                            null, 0, c, cOff + t * cBatchStride, ldc, accumulate, null, false);
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
                               float[] bias, int biasOff, float[] c, int cOff, int ldc, boolean accumulate, Epilogue epilogue,
                               boolean parallel) {
        int threads = Parallel.threads();
        if (!parallel || threads == 1 || (long) m * n * k < PARALLEL_MIN) {
            block(0, m, 0, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, null, 0, bias, biasOff, c, cOff, ldc, accumulate, epilogue);
            return;
        }
        int rowTiles = (m + MR - 1) / MR;
        int colTiles = (n + NR - 1) / NR;
        // The threads split C by columns when there are four column tiles per thread and C is no taller
        // than wide in the tiles' proportion (row tiles at most four times the column tiles: at 256 bits
        // a tile is 4x16 or 6x16, so m <= n or m <= 1.5n); else along the dimension with more tiles. A column strip reuses
        // each of its B panels for every row tile, where a row strip of a short product reloads each B
        // panel for a few tiles (128x512·512x256 on two threads: 8% faster by columns). But every column
        // strip streams the whole packed A from L3 or memory again, using each A block for as many B
        // panels as the strip is wide, so a tall C splits by rows: each row strip packs its A block once
        // and reuses it for every B panel. GPT's products ([2048, 128]·[128, 128 or 512]ᵀ, and
        // [2048, 512]·[512, 128]ᵀ, their input gradients, the weight gradient [2048, 512]ᵀ·[2048, 128])
        // and the char-LSTM's input projection and the gradient through its head take that path; square
        // products, the MLP's and LeNet's do not. Measured on two threads, rules alternating in one JVM (the shared VM
        // at a third to a fifth of its quiet speed): GPT's 128-wide products +2 to +19% (medians of 25
        // paired rounds of 0.15 s, A cycling through 48 copies as a step's fresh activations do; faster in
        // all 10 runs of these shapes, where a shape whose code did not change moved by -5 to +6%); the
        // GPT training step 3-7% faster in two runs when those moved to rows, and another 1.8-4.1% in
        // three runs when the 512-wide ones followed; the char-LSTM step 1.9% and 2.0%; LeNet's, whose
        // products keep their split, moved by +0.7% and -1.0% (the harness's noise). A tile sums in the same order on either split, so
        // the results are the same bits. The operand all strips read (A for a split by columns, B for a
        // split by rows) is packed once, by all threads, before any strip starts; each strip then packs
        // only its own part of the other operand. The strips are claimed dynamically, up to four per
        // thread, so that a thread the OS deschedules (the cores are shared) delays the product by a
        // strip rather than by its half.
        boolean byColumns = colTiles >= rowTiles || colTiles >= 4 * threads && rowTiles <= 4 * colTiles;
        if (byColumns && packsOwnB(m, k, colTiles * NR, bcs, threads)) {
            rowsWithOwnB(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, bias, biasOff, c, cOff, ldc, accumulate, epilogue, threads);
            return;
        }
        Workspace ws = WORKSPACE.get();
        if (byColumns) {
            int mPad = rowTiles * MR;
            float[] shared = ws.packedOperand((long) mPad * k);
            Parallel.forRange(rowTiles, 1, (t0, t1) -> packAllA(t0 * MR, Math.min(m, t1 * MR), mPad, k, a, aOff, ars, acs, shared));
            int grain = Math.max(1, Math.min(colTiles / (4 * threads), NC / NR));
            Parallel.forRange(colTiles, grain, (t0, t1) -> block(0, m, t0 * NR, Math.min(n, t1 * NR), k,
                    a, aOff, ars, acs, b, bOff, brs, bcs, shared, mPad, bias, biasOff, c, cOff, ldc, accumulate, epilogue));
        } else {
            int nPad = colTiles * NR;
            float[] shared = ws.packedOperand((long) nPad * k);
            Parallel.forRange(colTiles, 1, (t0, t1) -> packAllB(t0 * NR, Math.min(n, t1 * NR), nPad, k, b, bOff, brs, bcs, shared));
            int grain = Math.max(1, Math.min(rowTiles / (4 * threads), MC / MR));
            Parallel.forRange(rowTiles, grain, (t0, t1) -> blockSharedB(t0 * MR, Math.min(m, t1 * MR), n, k,
                    a, aOff, ars, acs, shared, nPad, bias, biasOff, c, cOff, ldc, accumulate, epilogue));
        }
    }

    /**
     * Whether {@link #rowsWithOwnB} runs the product: its packed B, {@code k x nPad} floats, fits {@link #OWN_B_MAX}, and
     * each of the {@code threads} has at least {@link #OWN_B_MIN_ROWS} rows of C (four times as many when B's rows are
     * not contiguous, {@code bcs != 1}) to use each float of it for.
     */
    private static boolean packsOwnB(int m, int k, int nPad, int bcs, int threads) {
        int minRows = (bcs == 1 ? OWN_B_MIN_ROWS : 4 * OWN_B_MIN_ROWS) * threads;
        return (long) k * nPad <= OWN_B_MAX && m >= minRows;
    }

    /**
     * The product in one parallel phase: C's row strips, claimed dynamically up to four per thread, and each thread
     * packs all of B into its own buffer before its first strip, then packs each strip's A itself ({@link #blockSharedB}).
     * The two-phase splits pack their shared operand with every thread, wait for all, then start the strips; a
     * strip then read half of that operand from the other core's cache, and when the OS took a core away during
     * the packing, the other waited for it. Packing B twice costs two threads about as much as a wait for one
     * another, where B is small and the strips tall ({@link #packsOwnB}). Measured against the two-phase splits,
     * alternating in one JVM on two threads (Zen 4, 12 to 20 rounds of 0.15 s; medians, and the rounds this path
     * won): 256³ 1.08x, 1.11x and 1.14x (12, 19 and 20 of 20), with B transposed 1.05x (12 of 12); 384³ 1.19x (16 of
     * 16); 512³ 1.02x (10 and 10 of 16), transposed 1.02x (12 of 16); {@code [128, 512]·[512, 256]} 1.04-1.05x
     * (11 and 19 of 12 and 20). Where a minute's other load took a core, the two-phase split fell to 108-145 GFLOP/s
     * on 256³ while this path kept 175-205. Shapes with few rows lose: {@code [32, 256]·[1024, 256]ᵀ} (the LSTM's
     * gates) 0.77x, {@code [128, 512]·[512, 512]ᵀ} 0.95x, {@code [64, 512]·[512, 512]} 0.96x, hence the rows each
     * thread needs. Products that split by rows anyway gain little, their shared B being packed by halves already
     * (GPT's {@code [2048, 128]·[384, 128]ᵀ} and {@code [2048, 512]·[128, 512]ᵀ} 1.00-1.01x), and they lost in the
     * GPT training step, 1.08x slower (11 of 12 alternating rounds of {@code reference/side_by_side.py}), where its
     * weight gradients ({@code [128, 2048]·[2048, 128]}: 1 MiB of fresh activations as B) had each thread pack B from
     * memory; limited to products that split by columns, the step read 1.02x faster (8 of 12, noise) and the MLP
     * step 1.14x (11 of 12). Each element of C sums in the same order on every split, so the bits are the same.
     */
    private static void rowsWithOwnB(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                                     float[] bias, int biasOff, float[] c, int cOff, int ldc, boolean accumulate, Epilogue epilogue, int threads) {
        int rowTiles = (m + MR - 1) / MR;
        int nPad = roundUp(n, NR);
        long product = OWN_B_PRODUCTS.incrementAndGet();
        Parallel.forRange(rowTiles, Math.max(1, rowTiles / (4 * threads)), (t0, t1) -> {
            Workspace ws = WORKSPACE.get();
            float[] ownB = ws.packedOperand((long) nPad * k);
            if (ws.packedProduct != product) {
                packAllB(0, n, nPad, k, b, bOff, brs, bcs, ownB);
                ws.packedProduct = product;
            }
            blockSharedB(t0 * MR, Math.min(m, t1 * MR), n, k, a, aOff, ars, acs, ownB, nPad, bias, biasOff, c, cOff, ldc, accumulate, epilogue);
        });
    }

    /** The k slices every blocked product uses: equal ones, since a short last slice would pay the C load/store of a full pass for little work. */
    private static int sliceDepth(int k) {
        int slices = (k + KC - 1) / KC;
        return (k + slices - 1) / slices;
    }

    /**
     * Packs rows {@code [i0, i1)} of A, every k slice, into {@code dst}: slice {@code pc} starts at
     * {@code pc*mPad} and holds the panels of all {@code mPad} rows, as {@link #block} reads them.
     */
    private static void packAllA(int i0, int i1, int mPad, int k, float[] a, int aOff, int ars, int acs, float[] dst) {
        int kcEven = sliceDepth(k);
        for (int pc = 0; pc < k; pc += kcEven) {
            int kc = Math.min(kcEven, k - pc);
            packA(i1 - i0, kc, a, aOff + i0 * ars + pc * acs, ars, acs, dst, pc * mPad + i0 * kc);
        }
    }

    /** Packs columns {@code [j0, j1)} of B, every k slice, into {@code dst}: slice {@code pc} starts at {@code pc*nPad}. */
    private static void packAllB(int j0, int j1, int nPad, int k, float[] b, int bOff, int brs, int bcs, float[] dst) {
        int kcEven = sliceDepth(k);
        for (int pc = 0; pc < k; pc += kcEven) {
            int kc = Math.min(kcEven, k - pc);
            packB(kc, j1 - j0, b, bOff + pc * brs + j0 * bcs, brs, bcs, dst, pc * nPad + j0 * kc);
        }
    }

    /**
     * The blocked product for the strip {@code C[i0:i1, j0:j1]} on the calling thread. A is packed here
     * block by block, or, when {@code sharedA} is not null, read from the panels {@link #packAllA} made. A
     * {@code bias} (null for none) is indexed by C's column, as C is; the {@code epilogue} (null for none) runs on each
     * block after its last k slice.
     *
     * <p>When k takes several slices and the strip's B, every slice of it, fits {@link #B_ALL_SLICES} floats, all its
     * slices are packed first and each {@code MC}-row block of C takes every slice before the next block starts, so
     * the block (48 KiB at 128 columns) stays in L2 between slices. Slice by slice across the whole strip, as BLIS
     * orders the loops, each later slice read the strip's C back from memory to add to it: a strip of 1,024 rows is
     * 512 KiB of C at 128 columns, more than L2 holds beside its A and B blocks. Measured alternating in one JVM on
     * the busy VM (medians of 20-24 rounds): 2048³ on two threads 1.08x and 1.11x (16 and 17 of 24 and 20 rounds),
     * 1024³ 1.03x and 1.07x (18 of 24, 13 of 20), 512³ 1.00x; 1024³ on one thread, whose B (4 MiB) then comes from
     * L3, 1.06x and 0.95x. {@code fathom bench matmul} against the former build, alternating processes (10 rounds):
     * 1024³ 1.06x (faster in 9 of 10 rounds), 2048³ 1.08x (8 of 10). Every element of C sums its slices in the same
     * order either way, so the bits are the same.
     */
    private static void block(int i0, int i1, int j0, int j1, int k,
                              float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                              float[] sharedA, int mPad, float[] bias, int biasOff, float[] c, int cOff, int ldc, boolean accumulate,
                              Epilogue epilogue) {
        Workspace ws = WORKSPACE.get();
        int kcEven = sliceDepth(k);
        int ncMax = Math.min(NC, roundUp(j1 - j0, NR));
        boolean allSlices = k > kcEven && (long) k * ncMax <= B_ALL_SLICES;
        float[] bp = ws.packB((allSlices ? k : kcEven) * ncMax);
        float[] ap = sharedA != null ? sharedA : ws.packA(kcEven * Math.min(MC, roundUp(i1 - i0, MR)));
        Slice slice = new Slice(a, aOff, ars, acs, sharedA, mPad, ap, bp, bias, biasOff, c, cOff, ldc, accumulate, ws.edge);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            if (allSlices) {
                for (int pc = 0; pc < k; pc += kcEven) {
                    packB(Math.min(kcEven, k - pc), nc, b, bOff + pc * brs + jc * bcs, brs, bcs, bp, pc * ncMax);
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    for (int pc = 0; pc < k; pc += kcEven) {
                        slice.run(ic, mc, jc, nc, pc, Math.min(kcEven, k - pc), pc * ncMax);
                    }
                    if (epilogue != null) {
                        epilogue.apply(c, cOff + ic * ldc + jc, ldc, mc, nc);
                    }
                }
            } else {
                for (int pc = 0; pc < k; pc += kcEven) {
                    int kc = Math.min(kcEven, k - pc);
                    packB(kc, nc, b, bOff + pc * brs + jc * bcs, brs, bcs, bp, 0);
                    for (int ic = i0; ic < i1; ic += MC) {
                        int mc = Math.min(MC, i1 - ic);
                        slice.run(ic, mc, jc, nc, pc, kc, 0);
                        if (epilogue != null && pc + kc == k) {
                            epilogue.apply(c, cOff + ic * ldc + jc, ldc, mc, nc);
                        }
                    }
                }
            }
        }
    }

    /** One k slice of one block of C in {@link #block}: packs the block's A slice (unless A is shared) and runs {@link #macro}. */
    private record Slice(float[] a, int aOff, int ars, int acs, float[] sharedA, int mPad, float[] ap, float[] bp, float[] bias, int biasOff,
                         float[] c, int cOff, int ldc, boolean accumulate, float[] edge) {
        void run(int ic, int mc, int jc, int nc, int pc, int kc, int bpAt) {
            int aAt = 0;
            if (sharedA == null) {
                packA(mc, kc, a, aOff + ic * ars + pc * acs, ars, acs, ap, 0);
            } else {
                aAt = pc * mPad + ic * kc;
            }
            macro(mc, nc, kc, ap, aAt, bp, bpAt, c, cOff + ic * ldc + jc, ldc, edge, !accumulate && pc == 0, bias, biasOff + jc);
        }
    }

    /** The blocked product for the rows {@code C[i0:i1, :]}, reading B from the panels {@link #packAllB} made; bias and epilogue as in {@link #block}. */
    private static void blockSharedB(int i0, int i1, int n, int k, float[] a, int aOff, int ars, int acs,
                                     float[] sharedB, int nPad, float[] bias, int biasOff, float[] c, int cOff, int ldc, boolean accumulate,
                                     Epilogue epilogue) {
        Workspace ws = WORKSPACE.get();
        int kcEven = sliceDepth(k);
        float[] ap = ws.packA(kcEven * Math.min(MC, roundUp(i1 - i0, MR)));
        float[] edge = ws.edge;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcEven) {
                int kc = Math.min(kcEven, k - pc);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(mc, kc, a, aOff + ic * ars + pc * acs, ars, acs, ap, 0);
                    macro(mc, nc, kc, ap, 0, sharedB, pc * nPad + jc * kc, c, cOff + ic * ldc + jc, ldc, edge, !accumulate && pc == 0,
                            bias, biasOff + jc);
                    if (epilogue != null && pc + kc == k) {
                        epilogue.apply(c, cOff + ic * ldc + jc, ldc, mc, nc);
                    }
                }
            }
        }
    }

    static void packA(int mc, int kc, float[] a, int at, int rs, int cs, float[] dst, int dOff) {
        if (vectorPacking) {
            MatmulPackF32.packA(mc, kc, a, at, rs, cs, dst, dOff);
        } else {
            MatmulPackF32Scalar.packA(mc, kc, a, at, rs, cs, dst, dOff, MR);
        }
    }

    static void packB(int kc, int nc, float[] b, int at, int rs, int cs, float[] dst, int dOff) {
        if (vectorPacking) {
            MatmulPackF32.packB(kc, nc, b, at, rs, cs, dst, dOff);
        } else {
            MatmulPackF32Scalar.packB(kc, nc, b, at, rs, cs, dst, dOff, NR);
        }
    }

    /**
     * Runs the micro-kernel over every tile of one packed {@code mc x nc} block of C, adding into C, or
     * storing over it when {@code overwrite} (the first k slice of a product that does not accumulate), then
     * plus the block's columns of {@code bias} from {@code biasAt} when it is not null.
     */
    private static void macro(int mc, int nc, int kc, float[] ap, int apAt, float[] bp, int bpAt,
                              float[] c, int cAt, int ldc, float[] edge, boolean overwrite, float[] bias, int biasAt) {
        float[] addBias = overwrite ? bias : null;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bAt = bpAt + jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int height = MatmulPackF32Scalar.panelHeight(mr, MR);
                int aAt = apAt + ir * kc;
                int at = cAt + ir * ldc + jr;
                if (mr == height && nr == NR) {
                    tile(kc, height, ap, aAt, bp, bAt, c, at, ldc, overwrite, addBias, biasAt + jr);
                } else {
                    // Edge tile: the kernel writes a full tile, so it runs on a scratch tile.
                    tile(kc, height, ap, aAt, bp, bAt, edge, 0, NR, true, null, 0);
                    for (int r = 0; r < mr; r++) {
                        int row = at + r * ldc;
                        for (int j = 0; j < nr; j++) {
                            float v = edge[r * NR + j];
                            c[row + j] = !overwrite ? c[row + j] + v : addBias != null ? v + addBias[biasAt + jr + j] : v;
                        }
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel on one full {@code rows x NR} tile ({@code rows} = MR, or 4 for an edge panel of six-row blocks):
     * {@link MatmulTileF32}, or its scalar twin.
     */
    static void tile(int kc, int rows, float[] ap, int aAt, float[] bp, int bAt, float[] c, int cAt, int ldc, boolean overwrite, float[] bias,
                     int biasAt) {
        if (vectorTile) {
            MatmulTileF32.tile(kc, rows, ap, aAt, bp, bAt, c, cAt, ldc, overwrite, bias, biasAt);
        } else {
            MatmulTileF32Scalar.tile(kc, rows, NR, ap, aAt, bp, bAt, c, cAt, ldc, overwrite, bias, biasAt);
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Per-thread pack buffers, grown on demand and then reused by every later call. */
    private static final class Workspace {
        final float[] edge = new float[MR * NR];
        /** The {@link #OWN_B_PRODUCTS} count of the product whose B {@link #packedOperand} holds, packed by {@link #rowsWithOwnB}. */
        long packedProduct;
        private float[] a = new float[0];
        private float[] b = new float[0];
        private float[] row = new float[0];
        private float[] operand = new float[0];

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

        /** The buffer for a whole packed operand: packed once and read by every thread of one product, or packed by each thread for itself. */
        float[] packedOperand(long size) {
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("matmul operand too large to pack: " + size + " floats");
            }
            if (operand.length < size) {
                operand = new float[(int) size];
            }
            return operand;
        }

        float[] row(int size) {
            if (row.length < size) {
                row = new float[size];
            }
            return row;
        }
    }
}
