package fathom.cpu;

/**
 * The scalar twin of {@link FmaThroughputF32}: {@code acc_i = fma(x, y, acc_i)} on 12 independent
 * scalar chains for {@code steps} steps ({@code steps * 12} fused multiply-adds).
 */
final class FmaThroughputF32Scalar {
    static final int CHAINS = 12;

    private FmaThroughputF32Scalar() {}

    /** Runs the loop and returns the sum of the accumulators, so the work cannot be discarded. */
    static float run(long steps, float seed) {
        float x = 1e-4f + seed * 1e-9f, y = 1e-4f;
        float a0 = seed, a1 = seed + 1, a2 = seed + 2, a3 = seed + 3, a4 = seed + 4, a5 = seed + 5;
        float a6 = seed + 6, a7 = seed + 7, a8 = seed + 8, a9 = seed + 9, a10 = seed + 10, a11 = seed + 11;
        for (long i = 0; i < steps; i++) {
            a0 = Math.fma(x, y, a0);
            a1 = Math.fma(x, y, a1);
            a2 = Math.fma(x, y, a2);
            a3 = Math.fma(x, y, a3);
            a4 = Math.fma(x, y, a4);
            a5 = Math.fma(x, y, a5);
            a6 = Math.fma(x, y, a6);
            a7 = Math.fma(x, y, a7);
            a8 = Math.fma(x, y, a8);
            a9 = Math.fma(x, y, a9);
            a10 = Math.fma(x, y, a10);
            a11 = Math.fma(x, y, a11);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }
}
