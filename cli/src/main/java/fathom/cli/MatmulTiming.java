package fathom.cli;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.cpu.Fp32Peak;
import fathom.cpu.MatmulF32;
import fathom.cpu.MatmulKernelRate;
import java.util.Arrays;
import java.util.List;

/**
 * Times float32 products as a user calls them, reporting GFLOP/s (2·m·k·n per call) and the fraction of
 * the FP32 peak that {@link Fp32Peak} measures on this machine: into an output tensor that is reused,
 * {@code out.addMatmulInPlace(a, b, 0)}, as reference/bench_matmul_torch.py times {@code torch.mm(a, b,
 * out=out)}; and {@code a.matmul(b)} into a new tensor each call, which a training step does. A new
 * tensor's memory is zeroed by the JVM and not in the cache; torch's caching allocator instead hands a
 * product the block it freed a moment before, so the reused output is the like-for-like comparison.
 */
final class MatmulTiming {
    /** Timed rounds per case, each paired with a probe of the peak. */
    private static final int ROUNDS = 9;
    private static final double ROUND_SECONDS = 0.1;
    /** One product: C[m, n] = A[m, k]·B[k, n], where a transposed operand is a transposed view of a stored matrix. */
    record Case(String label, int m, int k, int n, boolean transA, boolean transB) {
        static Case square(int n) {
            return new Case(n + "x" + n + " · " + n + "x" + n, n, n, n, false, false);
        }
    }

    /**
     * The square sizes, the products an MLP 784-512-256-10 with batch 128 computes (forward and backward),
     * and the Linear forwards {@code X·Wᵀ} of a small GPT (2048 tokens, width 128) and of an LSTM step
     * (batch 32, hidden 256).
     */
    static List<Case> defaultCases() {
        return List.of(Case.square(256), Case.square(512), Case.square(1024), Case.square(2048),
                new Case("128x784 · 784x512 (fc1 forward)", 128, 784, 512, false, false),
                new Case("128x512 · 512x256 (fc2 forward)", 128, 512, 256, false, false),
                new Case("784x128ᵀ · 128x512 (fc1 dW = Xᵀ·dY)", 784, 128, 512, true, false),
                new Case("128x512 · 512x784ᵀ (fc1 dX = dY·Wᵀ)", 128, 512, 784, false, true),
                new Case("512x128ᵀ · 128x256 (fc2 dW)", 512, 128, 256, true, false),
                new Case("2048x128 · 128x384ᵀ (GPT qkv X·Wᵀ)", 2048, 128, 384, false, true),
                new Case("2048x512 · 512x128ᵀ (GPT mlp out X·Wᵀ)", 2048, 512, 128, false, true),
                new Case("32x256 · 256x1024ᵀ (LSTM gates X·Wᵀ)", 32, 256, 1024, false, true),
                new Case("1x512 · 512x512 (batch-1 inference)", 1, 512, 512, false, false));
    }

    /** The operands and the reused output of one case, drawn once. */
    private record Operands(Tensor a, Tensor b, Tensor out, int reps) {
        static Operands of(Case c) {
            Rng rng = new Rng(1);
            Tensor a = c.transA ? Tensors.randn(rng, c.k, c.m).t() : Tensors.randn(rng, c.m, c.k);
            Tensor b = c.transB ? Tensors.randn(rng, c.n, c.k).t() : Tensors.randn(rng, c.k, c.n);
            double flops = 2.0 * c.m * c.k * c.n;
            return new Operands(a, b, Tensors.zeros(c.m, c.n), (int) Math.max(1, Math.min(100_000, 5e8 / flops)));
        }

        void call(boolean reuseOutput) {
            if (reuseOutput) {
                out.addMatmulInPlace(a, b, 0);
            } else {
                a.matmul(b);
            }
        }
    }

    /**
     * Runs every case for {@code seconds} in turn before any is measured, so that the JIT has compiled
     * every kernel variant: a compile still running steals one of this machine's two cores and makes
     * whichever case it overlaps look several times slower than it is.
     */
    private static void warmUp(List<Operands> ops, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (Operands o : ops) {
                o.call(true);
                o.call(false);
            }
        }
    }

    /** Median seconds per call over 7 timed batches. */
    private static double secondsPerCall(Operands o, boolean reuseOutput) {
        double[] runs = new double[7];
        for (int r = 0; r < runs.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < o.reps(); i++) {
                o.call(reuseOutput);
            }
            runs[r] = (System.nanoTime() - t0) / 1e9 / o.reps();
        }
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }

    /**
     * The bytes all threads allocate per reused-output call, over ten calls: a parallel product's few loop objects, a
     * kilobyte or so. A kernel that C2 compiled without its Vector API intrinsics runs the API's Java fallback, which
     * allocates every vector, so such a run shows megabytes here, and its slow timing explains itself.
     */
    private static double bytesPerCall(Operands o) {
        long before = SteadyTimer.allocatedBytes();
        for (int r = 0; r < 10; r++) {
            o.call(true);
        }
        return (SteadyTimer.allocatedBytes() - before) / 10.0;
    }

    /** Medians over the paired rounds of one case: seconds per call, and GFLOP/s over the probe's peak. */
    record Paired(double secondsPerCall, double fractionOfPeak) {}

    /**
     * Times the reused-output call in {@link #ROUNDS} rounds of about {@link #ROUND_SECONDS}, each followed
     * by a probe of the FMA peak as long ({@link Fp32Peak#measureGflopsNow}), and returns the median time
     * per call and the median of the rounds' ratios. On a shared machine the peak read 124 to 204 GFLOP/s
     * within one hour; a ratio to a peak measured once, at the start, moved with it, while each round's
     * ratio pairs two measurements a fraction of a second apart.
     */
    static Paired pairedWithPeak(Case c, Runnable call) {
        double flops = 2.0 * c.m * c.k * c.n;
        double[] seconds = new double[ROUNDS];
        double[] fraction = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            long calls = 0;
            long end = t0 + (long) (ROUND_SECONDS * 1e9);
            do {
                call.run();
                calls++;
            } while (System.nanoTime() < end);
            seconds[r] = (System.nanoTime() - t0) / 1e9 / calls;
            fraction[r] = flops / seconds[r] / 1e9 / Fp32Peak.measureGflopsNow(ROUND_SECONDS);
        }
        Arrays.sort(seconds);
        Arrays.sort(fraction);
        return new Paired(seconds[ROUNDS / 2], fraction[ROUNDS / 2]);
    }

    static void printTable(List<Case> cases) {
        double peak = Fp32Peak.measureGflops();
        List<Operands> ops = cases.stream().map(Operands::of).toList();
        warmUp(ops, 4.0);
        System.out.printf("FP32 peak measured by an FMA loop: %.1f GFLOP/s at the start; %% peak pairs each timing with a probe right after it%n", peak);
        System.out.println(kernelLine());
        System.out.println("into a reused output (as torch.mm(a, b, out=out)), and into a new tensor each call (a.matmul(b)):");
        System.out.printf("%-40s %10s %10s %8s %14s %12s%n", "matmul (float32)", "ms/call", "GFLOP/s", "% peak", "new: GFLOP/s", "bytes/call");
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Operands o = ops.get(i);
            double flops = 2.0 * c.m * c.k * c.n;
            Paired p = pairedWithPeak(c, () -> o.call(true));
            double fresh = flops / secondsPerCall(o, false) / 1e9;
            System.out.printf("%-40s %10.3f %10.1f %7.1f%% %14.1f %12.0f%n", c.label, p.secondsPerCall() * 1e3, flops / p.secondsPerCall() / 1e9,
                    100 * p.fractionOfPeak(), fresh, bytesPerCall(o));
        }
    }

    /**
     * The micro-kernel's rate on cached panels against the FMA loop's, both measured now on one thread: the
     * ceiling every product has on this machine at this moment ({@link MatmulKernelRate} says why the two part).
     */
    static String kernelLine() {
        MatmulKernelRate.Reading r = MatmulKernelRate.measureNow(1.0);
        return String.format(java.util.Locale.ROOT, "matmul micro-kernel (%s tiles) on panels in cache: %.1f GFLOP/s on one thread, %.0f%% of the FMA loop's %.1f beside it",
                MatmulF32.tileShape(), r.kernelGflops(), 100 * r.fraction(), r.fmaLoopGflops());
    }

    /** One product of {@code shape} = {m, k, n} into a reused output: the step {@code fathom bench matmul --stream} times. */
    static Runnable step(int[] shape) {
        if (shape.length != 3 || Arrays.stream(shape).anyMatch(x -> x < 1)) {
            throw new UsageException("--shape needs three sizes m,k,n of at least 1, got " + Arrays.toString(shape));
        }
        Operands o = Operands.of(new Case("", shape[0], shape[1], shape[2], false, false));
        return () -> o.call(true);
    }
}
