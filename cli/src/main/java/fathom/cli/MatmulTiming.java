package fathom.cli;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.cpu.Fp32Peak;
import java.util.Arrays;
import java.util.List;

/**
 * Times float32 {@code Tensor.matmul} as a user calls it, reporting GFLOP/s (2·m·k·n per call) and the
 * fraction of the FP32 peak that {@link Fp32Peak} measures on this machine.
 */
final class MatmulTiming {
    /** One product: C[m, n] = A[m, k]·B[k, n], where a transposed operand is a transposed view of a stored matrix. */
    record Case(String label, int m, int k, int n, boolean transA, boolean transB) {
        static Case square(int n) {
            return new Case(n + "x" + n + " · " + n + "x" + n, n, n, n, false, false);
        }
    }

    /** The square sizes and the products an MLP 784-512-256-10 with batch 128 computes, forward and backward. */
    static List<Case> defaultCases() {
        return List.of(Case.square(256), Case.square(512), Case.square(1024), Case.square(2048),
                new Case("128x784 · 784x512 (fc1 forward)", 128, 784, 512, false, false),
                new Case("128x512 · 512x256 (fc2 forward)", 128, 512, 256, false, false),
                new Case("784x128ᵀ · 128x512 (fc1 dW = Xᵀ·dY)", 784, 128, 512, true, false),
                new Case("128x512 · 512x784ᵀ (fc1 dX = dY·Wᵀ)", 128, 512, 784, false, true),
                new Case("512x128ᵀ · 128x256 (fc2 dW)", 512, 128, 256, true, false),
                new Case("1x512 · 512x512 (batch-1 inference)", 1, 512, 512, false, false));
    }

    /** Median seconds per call, after warming up. */
    static double secondsPerCall(Case c) {
        Rng rng = new Rng(1);
        Tensor a = c.transA ? Tensors.randn(rng, c.k, c.m).t() : Tensors.randn(rng, c.m, c.k);
        Tensor b = c.transB ? Tensors.randn(rng, c.n, c.k).t() : Tensors.randn(rng, c.k, c.n);
        double flops = 2.0 * c.m * c.k * c.n;
        int reps = (int) Math.max(1, Math.min(100_000, 2e8 / flops));
        long warmEnd = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < warmEnd) {
            a.matmul(b);
        }
        double[] runs = new double[7];
        for (int r = 0; r < runs.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.matmul(b);
            }
            runs[r] = (System.nanoTime() - t0) / 1e9 / reps;
        }
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }

    static void printTable(List<Case> cases) {
        double peak = Fp32Peak.measureGflops();
        System.out.printf("FP32 peak measured by an FMA loop: %.1f GFLOP/s%n", peak);
        System.out.printf("%-40s %10s %10s %8s%n", "matmul (float32)", "ms/call", "GFLOP/s", "% peak");
        for (Case c : cases) {
            double s = secondsPerCall(c);
            double gflops = 2.0 * c.m * c.k * c.n / s / 1e9;
            System.out.printf("%-40s %10.3f %10.1f %7.1f%%%n", c.label, s * 1e3, gflops, 100 * gflops / peak);
        }
    }

    static void printOne(int n) {
        Case c = Case.square(n);
        double s = secondsPerCall(c);
        double gflops = 2.0 * n * n * n / s / 1e9;
        System.out.printf("matmul %dx%d float32: %.1f GFLOP/s, %.0f%% of this machine's measured FP32 peak (%.1f GFLOP/s)%n",
                n, n, gflops, 100 * gflops / Fp32Peak.measureGflops(), Fp32Peak.measureGflops());
    }
}
