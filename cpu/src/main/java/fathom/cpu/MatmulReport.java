package fathom.cpu;

import java.io.PrintStream;
import java.util.List;
import java.util.Random;

/**
 * Times {@link MatmulF32#gemm} on a list of shapes and prints one table: shape, milliseconds per call,
 * GFLOP/s ({@code 2*m*n*k / seconds / 1e9}) and percent of {@link Fp32Peak#measureGflops()}.
 *
 * <p>A shape is {@code {m, k, n, transA, transB}}: the product {@code [m, k] · [k, n]}, where
 * {@code transA = 1} reads A from a {@code [k, m]} array and {@code transB = 1} reads B from an
 * {@code [n, k]} array, the layouts autograd's backward passes hand to matmul. Each shape is warmed up
 * for about 0.5 s, then timed in five batches of about 0.2 s; the table shows the fastest batch, since
 * slower ones measure interference rather than the kernel. Run with {@code -XX:+UseParallelGC
 * --add-modules jdk.incubator.vector}; the backing CLI command is {@code fathom bench matmul}.
 */
public final class MatmulReport {
    private MatmulReport() {}

    /** Square sizes 512, 1024 and 2048, an MLP's training products, and batch-1 inference. */
    public static List<int[]> defaultShapes() {
        return List.of(
                new int[] {512, 512, 512, 0, 0},
                new int[] {1024, 1024, 1024, 0, 0},
                new int[] {2048, 2048, 2048, 0, 0},
                new int[] {128, 784, 512, 0, 0},   // forward X·W, W stored [in, out]
                new int[] {128, 784, 512, 0, 1},   // forward X·W^T, W stored [out, in] (PyTorch Linear)
                new int[] {128, 512, 256, 0, 0},
                new int[] {784, 128, 512, 1, 0},   // dW = X^T·dY, X [128, 784], dY [128, 512]
                new int[] {128, 512, 784, 0, 1},   // dX = dY·W^T, W stored [784, 512]
                new int[] {128, 512, 784, 0, 0},   // dX = dY·W, W stored [512, 784]
                new int[] {1, 512, 512, 0, 0},     // batch-1 inference
                new int[] {1, 512, 512, 0, 1});
    }

    /** Measures every shape and prints the table to {@code out}. */
    public static void run(PrintStream out, List<int[]> shapes) {
        double peak = Fp32Peak.measureGflops();
        out.printf("matmul float32, %s, %d threads, peak %.1f GFLOP/s (%.1f per thread)%n",
                Simd.describe(), Parallel.threads(), peak, Fp32Peak.measureGflopsPerThread());
        out.printf("%-26s %10s %10s %8s%n", "shape [m,k]x[k,n]", "ms/call", "GFLOP/s", "% peak");
        for (int[] s : shapes) {
            double seconds = time(s);
            double gflops = 2.0 * s[0] * s[1] * s[2] / seconds / 1e9;
            String name = s[0] + "x" + s[1] + (s[3] == 1 ? "^T" : "") + " * " + s[1] + "x" + s[2] + (s[4] == 1 ? "^T" : "");
            out.printf("%-26s %10.4f %10.1f %7.1f%%%n", name, seconds * 1e3, gflops, 100 * gflops / peak);
        }
    }

    /** Seconds per call of the fastest timed batch. */
    static double time(int[] shape) {
        int m = shape[0], k = shape[1], n = shape[2];
        boolean ta = shape[3] == 1, tb = shape[4] == 1;
        Random rng = new Random(42);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextFloat() - 0.5f;
        }
        int ars = ta ? 1 : k, acs = ta ? m : 1;
        int brs = tb ? 1 : n, bcs = tb ? k : 1;
        Runnable call = () -> MatmulF32.gemm(m, n, k, a, 0, ars, acs, b, 0, brs, bcs, c, 0, n, false);
        long calls = batch(call, 0.5e9);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < calls; i++) {
                call.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / calls);
        }
        return best;
    }

    /** Runs {@code call} for about {@code warmNanos} and returns a call count that takes about 0.2 s. */
    private static long batch(Runnable call, double warmNanos) {
        long calls = 0;
        long t0 = System.nanoTime();
        long elapsed;
        do {
            call.run();
            calls++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < warmNanos || calls < 3);
        return Math.max(1, (long) (0.2e9 * calls / elapsed));
    }

    /** Prints the default table. */
    public static void main(String[] args) {
        run(System.out, defaultShapes());
    }
}
