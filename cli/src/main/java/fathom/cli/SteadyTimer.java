package fathom.cli;

import com.sun.management.ThreadMXBean;
import fathom.cpu.Fp32Peak;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Seconds per call of a step once the JIT has finished with it, as JMH's warm-up iterations do.
 *
 * <p>The step first runs in one-second windows until two windows in a row agree within 3 % and the JIT
 * compiled for at most 2 % of the second window (at most {@link #MAX_WARM_SECONDS}): on this 2-core machine C2
 * needs several seconds to compile the vector kernels of a whole training step, and a fixed short warm-up
 * measured a mix of compiled and interpreted code (the MLP step read 6.3 ms after 3 s and 4.0 ms after 8 s).
 * Agreeing windows alone did not show the JIT done: the GPT step's glue code runs a few hundred times a step
 * and reaches C2 late, and the JIT still compiled for 200-900 ms of every 5 s between 10 and 25 s into a run,
 * on a thread that takes a core from the step, and 0-330 ms up to 50 s. Then it measures five windows and
 * reports their median. The warm-up time is reported too, since a short run pays it.
 *
 * <p>It also counts the bytes all threads allocate per call, over three calls after the timed windows:
 * a training step allocates its tensors, and a vector kernel that C2 compiled without its Vector API
 * intrinsics runs the API's Java fallback, which allocates every vector (the GPT step read 250 MB
 * instead of 173 MB, LeNet's 423 MB instead of 17.7 MB, each 1.1-3x slower), so the figure shows
 * such a run at once.
 */
record SteadyTimer(double secondsPerCall, double warmUpSeconds, double bytesPerCall) {
    static final double MAX_WARM_SECONDS = 40;
    private static final double AGREE = 0.03;
    private static final double COMPILING = 0.02;
    private static final double WARM_WINDOW = 1.0;

    /** Times {@code step}: warm-up until stable, then the median of five windows of {@code seconds / 5}. */
    static SteadyTimer measure(Runnable step, double seconds) {
        long start = System.nanoTime();
        double previous = window(step, WARM_WINDOW);
        while ((System.nanoTime() - start) / 1e9 < MAX_WARM_SECONDS) {
            long compiledBefore = compileMillis();
            double current = window(step, WARM_WINDOW);
            boolean stable = settled(previous, current, compileMillis() - compiledBefore, WARM_WINDOW);
            previous = current;
            if (stable) {
                break;
            }
        }
        double warm = (System.nanoTime() - start) / 1e9;
        double[] runs = new double[5];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = window(step, seconds / runs.length);
        }
        Arrays.sort(runs);
        long before = allocatedBytes();
        for (int i = 0; i < 3; i++) {
            step.run();
        }
        return new SteadyTimer(runs[runs.length / 2], warm, (allocatedBytes() - before) / 3.0);
    }

    /**
     * Whether two warm-up windows' seconds per call agree within {@link #AGREE} and the JIT compiled for at most
     * {@link #COMPILING} of the second window, {@code windowSeconds} long.
     */
    static boolean settled(double previous, double current, long compiledMillis, double windowSeconds) {
        return Math.abs(current - previous) <= AGREE * Math.min(current, previous) && compiledMillis <= COMPILING * windowSeconds * 1e3;
    }

    /** Milliseconds the JIT has spent compiling so far, or 0 where the JVM does not count them. */
    private static long compileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** The bytes every live thread has allocated so far. */
    static long allocatedBytes() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            sum += Math.max(0, threads.getThreadAllocatedBytes(id));
        }
        return sum;
    }

    /**
     * The line that puts a training step's speed next to the machine: GFLOP/s of {@code trainFlops}
     * (counted as three times the forward pass's multiply-adds, the usual convention) and that as a
     * share of the FP32 peak {@link Fp32Peak} measures on this machine, then the megabytes allocated per step; and
     * on a second line the matmul micro-kernel's rate right after ({@link MatmulTiming#kernelLine}), which a busy
     * machine lowers while leaving the FMA peak alone.
     */
    String ofPeak(double trainFlops) {
        double gflops = trainFlops / secondsPerCall / 1e9;
        double peak = Fp32Peak.measureGflops();
        return String.format(java.util.Locale.ROOT, "  %.1f GFLOP/s, %.0f%% of the %.0f GFLOP/s FP32 peak (3x forward FLOPs); %.1f MB allocated per step",
                gflops, 100 * gflops / peak, peak, bytesPerCall / 1e6) + System.lineSeparator() + "  " + MatmulTiming.kernelLine();
    }

    /**
     * Runs {@code step} until standard output is closed, printing {@code step <milliseconds>} after each
     * call ({@code fathom bench mlp|lenet|lstm|gpt --stream}). reference/side_by_side.py runs this beside
     * PyTorch's twin, letting one process run at a time, so that both are timed through the same minutes of
     * a shared machine.
     */
    static void stream(Runnable step) {
        do {
            long t0 = System.nanoTime();
            step.run();
            System.out.printf(java.util.Locale.ROOT, "step %.3f%n", (System.nanoTime() - t0) / 1e6);
            System.out.flush();
        } while (!System.out.checkError());
    }

    /** Seconds per call over a window of at least {@code seconds} (and at least one call). */
    private static double window(Runnable step, double seconds) {
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        int n = 0;
        do {
            step.run();
            n++;
        } while (System.nanoTime() < end);
        return (System.nanoTime() - t0) / 1e9 / n;
    }
}
