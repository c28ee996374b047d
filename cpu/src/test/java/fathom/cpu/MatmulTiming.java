package fathom.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Prints the GFLOP/s of {@link MatmulF32#gemm} (2·m·k·n flops per call) on square sizes and on the
 * products that training runs (MLP, GPT, LSTM; forward {@code X·Wᵀ}, input gradient {@code dY·W}, weight
 * gradient {@code dYᵀ·X}), with the percent of the FP32 peak {@link Fp32Peak} measures. A plain main, not
 * a test and not JMH.
 *
 * <p>On one thread each figure is the calling thread's CPU time (Linux's
 * {@code /proc/thread-self/schedstat}; {@code java.management} is not readable from the cpu module), so
 * other processes sharing the cores slow it less than they slow wall time; on several threads it is wall
 * time, and a last column divides the flops by the CPU time of all the process's threads (a spinning or
 * duplicated effort lowers it however the OS schedules the threads). Each case runs 9 timed rounds of
 * about 100 ms after a warm-up of every case; the table shows the best and the median round, and the
 * percent of peak is the median's. Arguments: the thread count (default {@link Parallel#threads()}) and
 * an optional filter on the case names.
 *
 * <p>Run after {@code mvn -pl cpu -am test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:cpu/target/classes:cpu/target/test-classes fathom.cpu.MatmulTiming 1}
 */
public final class MatmulTiming {
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    /** {@code C[m, n] = A[m, k]·B[k, n]}; A is read from a {@code [k, m]} array when transA, B from {@code [n, k]} when transB. */
    record Case(String name, int m, int k, int n, boolean transA, boolean transB) {}

    static final List<Case> CASES = List.of(
            new Case("256^2", 256, 256, 256, false, false),
            new Case("512^2", 512, 512, 512, false, false),
            new Case("1024^2", 1024, 1024, 1024, false, false),
            new Case("2048^2", 2048, 2048, 2048, false, false),
            new Case("mlp fc1 fwd X·Wᵀ 128x784·784x512", 128, 784, 512, false, true),
            new Case("mlp fc1 NN 128x784·784x512", 128, 784, 512, false, false),
            new Case("mlp fc2 fwd X·Wᵀ 128x512·512x256", 128, 512, 256, false, true),
            new Case("mlp fc2 NN 128x512·512x256", 128, 512, 256, false, false),
            new Case("mlp fc1 dW 784x128ᵀ·128x512", 784, 128, 512, true, false),
            new Case("mlp fc1 dW dYᵀ·X 512x128ᵀ·128x784", 512, 128, 784, true, false),
            new Case("mlp fc1 dX 128x512·512x784ᵀ", 128, 512, 784, false, true),
            new Case("mlp fc1 dX dY·W 128x512·512x784", 128, 512, 784, false, false),
            new Case("mlp fc2 dW 512x128ᵀ·128x256", 512, 128, 256, true, false),
            new Case("gpt qkv X·Wᵀ 2048x128·128x384", 2048, 128, 384, false, true),
            new Case("gpt proj X·Wᵀ 2048x128·128x128", 2048, 128, 128, false, true),
            new Case("gpt mlp1 X·Wᵀ 2048x128·128x512", 2048, 128, 512, false, true),
            new Case("gpt mlp2 X·Wᵀ 2048x512·512x128", 2048, 512, 128, false, true),
            new Case("gpt mlp2 dX dY·W 2048x128·128x512", 2048, 128, 512, false, false),
            new Case("gpt mlp2 dW 128x2048ᵀ·2048x512", 128, 2048, 512, true, false),
            new Case("gpt mlp1 dW 512x2048ᵀ·2048x128", 512, 2048, 128, true, false),
            new Case("lstm X·Wᵀ 32x256·256x1024", 32, 256, 1024, false, true),
            new Case("lstm dX dY·W 32x1024·1024x256", 32, 1024, 256, false, false),
            new Case("lstm dW 1024x32ᵀ·32x256", 1024, 32, 256, true, false));

    private static volatile float sink;

    private MatmulTiming() {}

    /** The operands of one case, drawn once. */
    private record Operands(Case c, float[] a, float[] b, float[] out) {
        static Operands of(Case c) {
            Random rng = new Random(1);
            float[] a = new float[c.m * c.k];
            float[] b = new float[c.k * c.n];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextFloat() - 0.5f;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = rng.nextFloat() - 0.5f;
            }
            return new Operands(c, a, b, new float[c.m * c.n]);
        }

        void call() {
            int ars = c.transA ? 1 : c.k, acs = c.transA ? c.m : 1;
            int brs = c.transB ? 1 : c.n, bcs = c.transB ? c.k : 1;
            MatmulF32.gemm(c.m, c.n, c.k, a, 0, ars, acs, b, 0, brs, bcs, out, 0, c.n, false);
        }
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Parallel.threads();
        String filter = args.length > 1 ? args[1] : "";
        Parallel.setThreads(threads);
        double peak = threads == 1 ? peakPerThreadCpuTime() : Fp32Peak.measureGflops();
        List<Operands> ops = new ArrayList<>();
        for (Case c : CASES) {
            if (c.name.contains(filter)) {
                ops.add(Operands.of(c));
            }
        }
        // Every case runs before any is timed, so a JIT compile does not steal a core from a timed round.
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            for (Operands o : ops) {
                o.call();
            }
        }
        System.out.printf("vectors %s, threads %d, peak %.1f GFLOP/s (%s)%n", Simd.describe(), threads, peak,
                threads == 1 ? "thread CPU time" : "wall time");
        System.out.printf("%-40s %9s %9s %7s %12s%n", "case", "best", "median", "%peak", "per CPU-s");
        for (Operands o : ops) {
            double[] g = measure(o, threads == 1);
            System.out.printf("%-40s %9.1f %9.1f %6.1f%% %12.1f%n", o.c.name, g[0], g[1], 100 * g[1] / peak, g[2]);
        }
    }

    /**
     * The best and the median GFLOP/s over 9 rounds, then (on several threads) the median GFLOP per second
     * of CPU time summed over all threads, which counts a spinning or duplicated effort however the OS
     * schedules the threads.
     */
    static double[] measure(Operands o, boolean cpuTime) {
        Case c = o.c;
        double flops = 2.0 * c.m * c.k * c.n;
        // About 100 ms a round at 60 GFLOP/s: the kernel brings a running thread's schedstat up to date
        // only at scheduler events (every few ms), so a short round can be off by tens of percent.
        int reps = (int) Math.max(1, 0.1 / (flops / 60e9));
        double[] g = new double[9];
        double[] e = new double[g.length];
        for (int r = 0; r < g.length; r++) {
            long c0 = cpuTime ? 0 : processCpuNanos();
            long t0 = cpuTime ? threadCpuNanos() : System.nanoTime();
            for (int i = 0; i < reps; i++) {
                o.call();
            }
            long t1 = cpuTime ? threadCpuNanos() : System.nanoTime();
            long c1 = cpuTime ? 0 : processCpuNanos();
            g[r] = flops * reps / (t1 - t0);
            e[r] = cpuTime ? g[r] : flops * reps / (c1 - c0);
        }
        Arrays.sort(g);
        Arrays.sort(e);
        return new double[] {g[g.length - 1], g[g.length / 2], e[e.length / 2]};
    }

    /** {@link Fp32Peak#loop}'s GFLOP/s on the calling thread's CPU time: the best of 5 rounds of 40M steps (0.1 to 0.3 s each). */
    static double peakPerThreadCpuTime() {
        for (int i = 0; i < 200; i++) {
            sink += Fp32Peak.loop(20_000, i);
        }
        long steps = 40_000_000;
        double best = 0;
        for (int r = 0; r < 5; r++) {
            long t0 = threadCpuNanos();
            sink += Fp32Peak.loop(steps, r);
            best = Math.max(best, (double) steps * Fp32Peak.flopsPerStep() / (threadCpuNanos() - t0));
        }
        return best;
    }

    /** The CPU time of every thread of this process in ns: the sum of their schedstats. */
    static long processCpuNanos() {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String s = Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (IOException gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum;
    }

    /** The calling thread's CPU time in ns: the first field of its schedstat. */
    static long threadCpuNanos() {
        try {
            String s = Files.readString(SCHEDSTAT);
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
