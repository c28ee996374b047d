package fathom.cpu;

/**
 * The machine's measured float32 peak in GFLOP/s (an FMA counts as 2 flops): the denominator of every
 * "fraction of peak" figure Fathom reports.
 *
 * <p>Runs an FMA-throughput loop ({@link FmaThroughputF32}, or its scalar twin when vectors are off) with
 * more independent chains than the FMA pipes can hold in flight, on every thread of {@link Parallel} at
 * once for about 0.3 s, and keeps the best of three trials. Results are cached per JVM (the all-thread
 * figure per thread count). On an AVX2 core with two FMA pipes the per-thread figure should be close to
 * {@code GHz * 32}.
 */
public final class Fp32Peak {
    private static final double TRIAL_SECONDS = 0.3;
    private static volatile double perThread;
    private static volatile double allThreads;
    private static volatile int allThreadsCount;
    private static volatile float sink;
    private static long stepsPerTrial;

    private Fp32Peak() {}

    /** Peak GFLOP/s of one thread (the calling one), measured once per JVM. */
    public static synchronized double measureGflopsPerThread() {
        if (perThread == 0) {
            long steps = stepsPerTrial();
            double best = 0;
            for (int trial = 0; trial < 3; trial++) {
                long t0 = System.nanoTime();
                sink += loop(steps, trial);
                best = Math.max(best, flops(steps) / (System.nanoTime() - t0));
            }
            perThread = best;
        }
        return perThread;
    }

    /** Peak GFLOP/s of all {@link Parallel#threads()} threads running at once, measured once per thread count. */
    public static synchronized double measureGflops() {
        int threads = Parallel.threads();
        if (allThreadsCount != threads) {
            double best = 0;
            for (int trial = 0; trial < 3; trial++) {
                best = Math.max(best, measureGflopsNow(TRIAL_SECONDS));
            }
            allThreads = best;
            allThreadsCount = threads;
        }
        return allThreads;
    }

    /**
     * Peak GFLOP/s of all {@link Parallel#threads()} threads running at once, measured now over about
     * {@code seconds} and not cached: the denominator for a timing taken a moment before, on a machine
     * whose neighbours take and give back its cores from one second to the next.
     */
    public static double measureGflopsNow(double seconds) {
        int threads = Parallel.threads();
        long steps = Math.max(1, (long) (stepsPerTrial() * seconds / TRIAL_SECONDS));
        long t0 = System.nanoTime();
        Parallel.forRange(threads, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                sink += loop(steps, i);
            }
        });
        // wall time of the whole loop: the threads must really overlap to score
        return threads * flops(steps) / (System.nanoTime() - t0);
    }

    /** As {@link #measureGflopsNow} on the calling thread alone: the FMA loop's GFLOP/s over about {@code seconds}, not cached. */
    public static double measureGflopsOnThisThreadNow(double seconds) {
        long steps = Math.max(1, (long) (stepsPerTrial() * seconds / TRIAL_SECONDS));
        long t0 = System.nanoTime();
        sink += loop(steps, 0);
        return flops(steps) / (System.nanoTime() - t0);
    }

    private static synchronized long stepsPerTrial() {
        if (stepsPerTrial == 0) {
            stepsPerTrial = calibrate();
        }
        return stepsPerTrial;
    }

    /** Warms the loop up to compiled code and returns a step count that runs for about one trial. */
    private static long calibrate() {
        long steps = 20_000;
        for (int i = 0; i < 200; i++) {
            sink += loop(steps, i);
        }
        long t0 = System.nanoTime();
        sink += loop(1_000_000, 1);
        double nsPerStep = (System.nanoTime() - t0) / 1e6;
        return Math.max(1_000_000, (long) (TRIAL_SECONDS * 1e9 / nsPerStep));
    }

    /**
     * Runs {@code steps} steps of the FMA-throughput loop on the calling thread ({@link #flopsPerStep()}
     * flops each) and returns a value derived from every accumulator; for benchmarks that time the loop.
     */
    public static float loop(long steps, int seed) {
        return Simd.ENABLED ? FmaThroughputF32.run(steps, seed * 1e-3f) : FmaThroughputF32Scalar.run(steps, seed * 1e-3f);
    }

    /** Flops in one step of {@link #loop}: 12 chains times the lanes of a vector times 2 (192 at 256 bits). */
    public static int flopsPerStep() {
        int lanes = Simd.ENABLED ? FmaThroughputF32.LANES : 1;
        return 2 * FmaThroughputF32Scalar.CHAINS * lanes;
    }

    private static double flops(long steps) {
        return (double) steps * flopsPerStep();
    }
}
