package fathom.cpu;

import fathom.backend.BinaryOp;
import fathom.backend.UnaryOp;

/**
 * Gets the hottest kernels compiled while the program still does something else (reading a data set):
 * a daemon thread runs the matmul (its three packing layouts) and a few element-wise kernels on small
 * scratch arrays until C2 has had them, at most {@link #BUDGET_NANOS}.
 *
 * <p>Why: until C2 compiles them, Vector API kernels run on the API's Java fallbacks, which allocate for
 * every vector operation; the first training step of the demo's MLP spent about 0.65 s in
 * interpreted or C1-compiled {@code MatmulTileF32.tile}, more than the whole start-up before it. The
 * warm-up touches no tensor, random generator or shared state and runs single-threaded (never the
 * worker pool), so it cannot change any result; JIT tiers do not change the results of these kernels.
 */
public final class KernelWarmup {
    /** Longest the warm-up runs; it stops sooner when its fixed amount of work is done. */
    static final long BUDGET_NANOS = 600_000_000L;
    private static final int ROUNDS = 30;

    private KernelWarmup() {}

    /** Starts the warm-up on a daemon thread named {@code fathom-warmup}; it ends by itself. */
    public static void startInBackground() {
        Thread t = new Thread(KernelWarmup::run, "fathom-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run() {
        // deeper than one KC slice (later slices accumulate) and with edge tiles on both sides, so the
        // compiled kernels have seen every branch a real product takes and are not thrown away by it
        int m = 70;
        int n = 50;
        int k = 2 * MatmulF32.KC + 40;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        float[] x = new float[4096];
        float[] y = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) * 0.25f - 2f;
            y[i] = (i % 5) * 0.5f;
        }
        long end = System.nanoTime() + BUDGET_NANOS;
        for (int r = 0; r < ROUNDS && System.nanoTime() < end; r++) {
            // A·B, A·Bᵀ and Aᵀ·B: the forward and both backward products of a linear layer
            MatmulF32.warm(m, n, k, a, k, 1, b, n, 1, c);
            MatmulF32.warm(m, n, k, a, k, 1, b, 1, k, c);
            MatmulF32.warm(m, n, k, a, 1, m, b, n, 1, c);
            MatmulF32.warm(m, n, k, a, 1, m, b, 1, k, c);
            for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL}) {
                ElementwiseF32.binary(op, x, 0, 1, y, 0, 1, y, 0, x.length);
                ElementwiseF32.binary(op, x, 0, 1, y, 0, 0, y, 0, x.length);
            }
            ElementwiseF32.unary(UnaryOp.RELU, x, 0, y, 0, x.length);
        }
    }
}
