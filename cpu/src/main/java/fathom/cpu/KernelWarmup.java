package fathom.cpu;

import java.lang.management.ManagementFactory;

/**
 * Gets the hottest vector kernels compiled by C2 on a background thread, and keeps the matmul on its
 * scalar twins until they are.
 *
 * <p>Why: until C2 compiles them, Vector API kernels run the API's Java fallback, which allocates every
 * vector: the first training step of the demo's MLP spent 0.56 s in the first layer's forward product,
 * in interpreted or C1-compiled {@code MatmulTileF32.tile}, more than the whole start-up before it. So
 * while this runs, {@link MatmulF32} packs and multiplies with the scalar twins, which give the same bits
 * in the same panel layout and run at plain scalar speed from the first call. This thread meanwhile
 * calls the vector packing and the vector micro-kernel on small scratch arrays and measures what each
 * round of them allocates: the first round that allocates nothing ran C2's code with every intrinsic,
 * and the products switch to those kernels (packing and micro-kernel each on its own: C2 compiles them
 * at different times). If that has not happened after {@link #BUDGET_NANOS} (a JVM without C2, or a
 * compile that lost an intrinsic and would box every vector), the products keep the scalar twins and a
 * line on standard error says so.
 *
 * <p>The warm-up touches no tensor, random generator or shared state besides those switches, and runs
 * single-threaded (never the worker pool), so it changes no result. The element-wise kernels it once also
 * ran are left to the training itself: on tensors of a batch their fallback costs milliseconds.
 */
public final class KernelWarmup {
    /** Longest the warm-up waits for the vector matmul kernels to be compiled. */
    static final long BUDGET_NANOS = 5_000_000_000L;
    // A block with edge rows and columns, a depth with a remainder after the 8-deep transposes: the
    // compiled kernels see every branch a real product takes, so no real product throws them away. The
    // depth is short because C2 compiles a method after about 600 calls once calls plus loop iterations
    // pass 15,000: 28 iterations a call get there with the least fallback work. (At a depth of 68, with
    // element-wise kernels warmed in between, the demo's micro-kernel was compiled 1.0-1.6 s after start;
    // at 28, with nothing else, 0.7-1.0 s.)
    private static final int M = 2 * MatmulF32.MR + 1;
    private static final int N = 2 * MatmulF32.NR + 3;
    private static final int K = 28;
    /**
     * The tile heights the products run: full panels, and four-row edge panels of taller tiles. A constant, since a
     * round must allocate nothing once compiled ({@link #allocatesNothing}): an array made per round kept every round
     * allocating, and the warm-up then never switched to the vector micro-kernel.
     */
    private static final int[] TILE_HEIGHTS = MatmulF32.MR == 4 ? new int[] {4} : new int[] {MatmulF32.MR, 4};

    private KernelWarmup() {}

    /**
     * Switches the matmul to its scalar twins and starts the warm-up on a daemon thread named
     * {@code fathom-warmup}, which switches it back once the vector kernels are compiled. Does nothing when
     * vectors are off.
     */
    public static void startInBackground() {
        if (!Simd.ENABLED) {
            return;
        }
        MatmulF32.useScalarKernelsUntilCompiled();
        Thread t = new Thread(KernelWarmup::run, "fathom-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** The warm-up itself, on the calling thread; true when both the vector packing and the vector micro-kernel were switched on. */
    static boolean run() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Scratch s = new Scratch();
        Runnable packingRound = () -> packingRound(s);
        Runnable tileRound = () -> tileRound(s);
        long end = System.nanoTime() + BUDGET_NANOS;
        boolean tile = false;
        boolean packing = false;
        while (!(tile && packing) && System.nanoTime() < end) {
            if (!packing && allocatesNothing(threads, packingRound)) {
                packing = true;
                MatmulF32.vectorPackingCompiled();
            }
            if (!tile && allocatesNothing(threads, tileRound)) {
                tile = true;
                MatmulF32.vectorTileCompiled();
            }
        }
        if (!(tile && packing)) {
            System.err.println("fathom: the Vector API matmul " + (tile ? "packing was" : packing ? "micro-kernel was" : "kernels were")
                    + " not compiled within " + BUDGET_NANOS / 1_000_000_000L + " s (a JVM without C2?); they run as scalar code");
        }
        return tile && packing;
    }

    /** Whether {@code round} allocated nothing on this thread: C2's code with every intrinsic ran it. */
    private static boolean allocatesNothing(com.sun.management.ThreadMXBean threads, Runnable round) {
        long before = threads.getCurrentThreadAllocatedBytes();
        round.run();
        return threads.getCurrentThreadAllocatedBytes() == before;
    }

    /** The vector packing of a linear layer's three products: A from rows and from columns, B from rows and transposed. */
    private static void packingRound(Scratch s) {
        MatmulPackF32.packA(M, K, s.a, 0, K, 1, s.ap, 0);
        MatmulPackF32.packA(M, K, s.a, 0, 1, M, s.ap, 0);
        MatmulPackF32.packB(K, N, s.b, 0, N, 1, s.bp, 0);
        MatmulPackF32.packB(K, N, s.b, 0, 1, K, s.bp, 0);
    }

    /**
     * The vector micro-kernel on every full tile of the scratch block, stored over C (with a bias or without) and added to
     * it, with the tile height of full panels and, for six- and eight-row panels, the four of edge panels too.
     */
    private static void tileRound(Scratch s) {
        for (int rows : TILE_HEIGHTS) {
            for (int i = 0; i + rows <= M; i += rows) {
                for (int j = 0; j + MatmulF32.NR <= N; j += MatmulF32.NR) {
                    // a bias on the second column of tiles only: both paths of the epilogue are seen, in two calls per tile
                    MatmulTileF32.tile(K, rows, s.ap, i * K, s.bp, j * K, s.c, i * N + j, N, true, j == 0 ? null : s.b, j);
                    MatmulTileF32.tile(K, rows, s.ap, i * K, s.bp, j * K, s.c, i * N + j, N, false, null, 0);
                }
            }
        }
    }

    /** The warm-up's own arrays, allocated once so that a compiled round allocates nothing. */
    private static final class Scratch {
        final float[] a = new float[M * K];
        final float[] b = new float[K * N];
        final float[] ap = new float[(M + MatmulF32.MR) * K];
        final float[] bp = new float[(N + MatmulF32.NR) * K];
        final float[] c = new float[M * N];
    }
}
