package fathom.cpu;

import java.util.Arrays;

/**
 * How fast the float32 matmul micro-kernel runs right now on panels already in cache, next to the FMA loop of
 * {@link Fp32Peak}, both on the calling thread: the ceiling that every product on this machine has at this
 * moment, and how far the machine keeps it below the FMA peak.
 *
 * <p>Why both: on a shared machine the two part. The FMA loop needs only the FMA pipes; the kernel also issues
 * loads, two B vectors and a broadcast of each row's A value per step (six loads for eight FMAs at four rows, eight
 * for twelve at six, {@link MatmulTileF32}). On the shared 2-core
 * Zen 3 VM Fathom is measured on, the kernel ran at about the FMA loop's rate in a quiet hour, but in a busy one the
 * FMA loop still read 95-100 GFLOP/s per thread while the kernel read 54-79: a neighbour on the same physical core
 * competing for loads slows every product and leaves the FMA probe alone, so a product's "% of peak" alone
 * cannot tell a slow product from a slowed machine.
 */
public final class MatmulKernelRate {
    private static final int MR = MatmulF32.MR;
    private static final int NR = MatmulF32.NR;
    private static final int KC = MatmulF32.KC;
    /** The A panels of one packed block, as a product's macro-kernel runs them against one B panel. */
    private static final int PANELS = MatmulF32.MC / MR;
    private static final int SLICES = 5;
    private static volatile float sink;

    private MatmulKernelRate() {}

    /** GFLOP/s of the micro-kernel and of the FMA loop, each the median of slices taken in alternation. */
    public record Reading(double kernelGflops, double fmaLoopGflops) {
        /** The kernel's rate over the FMA loop's. */
        public double fraction() {
            return kernelGflops / fmaLoopGflops;
        }
    }

    /**
     * Runs the micro-kernel (as products run it: adding into C, {@code KC} deep) and the FMA loop in alternating
     * slices for about {@code seconds} in all, on the calling thread. The kernel must have been compiled by then
     * (any product run for a second or so compiles it), or this measures the interpreter.
     */
    public static Reading measureNow(double seconds) {
        float[] a = new float[PANELS * MR * KC];
        float[] b = new float[KC * NR];
        float[] c = new float[PANELS * MR * NR];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1e-3f * (i % 7);
        }
        Arrays.fill(b, 1e-3f);
        double slice = seconds / (2 * SLICES);
        double[] kernel = new double[SLICES];
        double[] fma = new double[SLICES];
        for (int s = 0; s < SLICES; s++) {
            kernel[s] = kernelSlice(a, b, c, slice);
            fma[s] = Fp32Peak.measureGflopsOnThisThreadNow(slice);
        }
        Arrays.sort(kernel);
        Arrays.sort(fma);
        return new Reading(kernel[SLICES / 2], fma[SLICES / 2]);
    }

    private static double kernelSlice(float[] a, float[] b, float[] c, double seconds) {
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long tiles = 0;
        do {
            for (int p = 0; p < PANELS; p++) {
                MatmulF32.tile(KC, MR, a, p * MR * KC, b, 0, c, p * MR * NR, NR, false, null, 0);
            }
            tiles += PANELS;
        } while (System.nanoTime() < end);
        sink += c[0];
        return 2.0 * MR * NR * KC * tiles / (System.nanoTime() - t0);
    }
}
