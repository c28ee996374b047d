package fathom.cpu;

import fathom.backend.BinaryOp;
import fathom.backend.CompareOp;
import fathom.backend.UnaryOp;
import java.util.SplittableRandom;

/**
 * Prints the throughput of the main float32 kernels, vector against scalar twin, next to a plain
 * memory copy on one and on two threads as the machine's bandwidth yardstick. A plain main, not a
 * test (surefire does not pick it up) and not JMH: each figure is the best of several timed rounds
 * after warm-up, in GB/s of nominal traffic (each input read once, each output written once) and
 * ns per element.
 *
 * <p>Run after {@code mvn -pl cpu -am test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:cpu/target/classes:cpu/target/test-classes fathom.cpu.KernelTiming}
 * (add the argument {@code exp} for only the kernels built on the exponential).
 */
public final class KernelTiming {
    private static volatile float sink;

    private KernelTiming() {}

    public static void main(String[] args) throws Exception {
        System.out.println("vectors: " + Simd.describe() + ", species " + UnaryF32Vector.F);
        SplittableRandom rnd = new SplittableRandom(1);
        int n = 1 << 22;
        float[] a = Samples.uniform(rnd, 0, n, -4, 4);
        float[] b = Samples.uniform(rnd, 0, n, -4, 4);
        float[] out = new float[n];
        boolean[] mask = new boolean[n];
        if (args.length > 0 && args[0].equals("exp")) {
            expKernels(a, b, out);
            return;
        }

        report("copy (System.arraycopy), 1 thread", 8L * n, n, () -> System.arraycopy(a, 0, out, 0, n));
        float[] a2 = a.clone();
        float[] out2 = new float[n];
        report("copy, 2 threads (2 arrays of 4M)", 16L * n, 2L * n, () -> twoThreads(
                () -> System.arraycopy(a, 0, out, 0, n), () -> System.arraycopy(a2, 0, out2, 0, n)));

        report("add 4M vector", 12L * n, n, () -> ElementwiseF32Vector.binary(BinaryOp.ADD, a, 0, 1, b, 0, 1, out, 0, n));
        report("add 4M scalar", 12L * n, n, () -> ElementwiseF32Scalar.binary(BinaryOp.ADD, a, 0, 1, b, 0, 1, out, 0, n));
        report("add 4M vector, 2 threads (halves)", 12L * n, n, () -> twoThreads(
                () -> ElementwiseF32Vector.binary(BinaryOp.ADD, a, 0, 1, b, 0, 1, out, 0, n / 2),
                () -> ElementwiseF32Vector.binary(BinaryOp.ADD, a, n / 2, 1, b, n / 2, 1, out, n / 2, n / 2)));
        report("add scalar-broadcast 4M vector", 8L * n, n, () -> ElementwiseF32Vector.binary(BinaryOp.ADD, a, 0, 1, b, 0, 0, out, 0, n));
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU, UnaryOp.GELU_TANH}) {
            report(op + " 4M vector", 8L * n, n, () -> UnaryF32Vector.unary(op, a, 0, out, 0, n));
            report(op + " 4M scalar", 8L * n, n, () -> UnaryF32Scalar.unary(op, a, 0, out, 0, n));
        }
        report("sum 4M vector", 4L * n, n, () -> sink = ReduceF32Vector.sum(a, 0, n));
        report("sum 4M scalar", 4L * n, n, () -> sink = ReduceF32Scalar.sum(a, 0, n));
        report("max 4M vector", 4L * n, n, () -> sink = ReduceF32Vector.max(a, 0, n));
        report("max 4M scalar", 4L * n, n, () -> sink = ReduceF32Scalar.max(a, 0, n));
        report("compare LT 4M vector", 9L * n, n, () -> ElementwiseF32Vector.compare(CompareOp.LT, a, 0, 1, b, 0, 1, mask, 0, n));
        report("compare LT 4M scalar", 9L * n, n, () -> ElementwiseF32Scalar.compare(CompareOp.LT, a, 0, 1, b, 0, 1, mask, 0, n));
        report("sumColumns [4096, 1024] vector", 4L * n, n, () -> ReduceF32Vector.sumColumns(a, 0, 4096, 1024, 1024, out, 0, false));
        report("sumColumns [4096, 1024] scalar", 4L * n, n, () -> ReduceF32Scalar.sumColumns(a, 0, 4096, 1024, 1024, out, 0, false));

        int rows = 128, cols = 1024, m = rows * cols;
        report("softmax rows [128, 1024] vector", 8L * m, m, () -> SoftmaxF32Vector.softmaxRows(a, 0, rows, cols, out, 0));
        report("softmax rows [128, 1024] scalar", 8L * m, m, () -> SoftmaxF32Scalar.softmaxRows(a, 0, rows, cols, out, 0));
        report("logSoftmax rows [128, 1024] vector", 8L * m, m, () -> SoftmaxF32Vector.logSoftmaxRows(a, 0, rows, cols, out, 0));
        report("logSoftmax rows [128, 1024] scalar", 8L * m, m, () -> SoftmaxF32Scalar.logSoftmaxRows(a, 0, rows, cols, out, 0));
    }

    /**
     * Only the kernels built on the exponential ({@code KernelTiming exp}), on 1M elements. Run with
     * {@code -Xlog:gc}: once warm these allocate nothing, so a garbage collection during the timed
     * rounds means some call boxed its vectors (C2 did not inline a vector helper).
     */
    private static void expKernels(float[] a, float[] g, float[] out) {
        int n = 1 << 20;
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.SILU, UnaryOp.GELU, UnaryOp.GELU_TANH}) {
            report(op + " 1M vector", 8L * n, n, () -> UnaryF32Vector.unary(op, a, 0, out, 0, n));
            report(op + " 1M scalar", 8L * n, n, () -> UnaryF32Scalar.unary(op, a, 0, out, 0, n));
        }
        report("GELU with its derivative 1M vector", 12L * n, n, () -> GeluF32Vector.withDerivative(a, 0, out, 0, g, 0, n));
        int rows = 256, cols = 4096, m = rows * cols;
        report("softmax rows [256, 4096] vector", 8L * m, m, () -> SoftmaxF32Vector.softmaxRows(a, 0, rows, cols, out, 0));
        report("logSoftmax rows [256, 4096] vector", 8L * m, m, () -> SoftmaxF32Vector.logSoftmaxRows(a, 0, rows, cols, out, 0));
        report("logSoftmax backward [256, 4096] vector", 12L * m, m,
                () -> SoftmaxF32Vector.logSoftmaxBackwardRows(a, 0, g, 0, rows, cols, out, 0));
        int hidden = 256, batch = 64;
        float[] act = new float[4 * hidden];
        float[] h = new float[hidden];
        float[] c2 = new float[hidden];
        report("LSTM forward rows [64, 4·256]", 4L * 6 * batch * hidden, (long) batch * hidden, () -> {
            for (int r = 0; r < batch; r++) RecurrentF32.lstmForward(a, r * 4 * hidden, g, r * hidden, act, 0, h, 0, c2, 0, hidden);
        });
    }

    /** Runs both tasks at once, one on a fresh thread, and waits for both. */
    private static void twoThreads(Runnable first, Runnable second) {
        Thread t = new Thread(second);
        t.start();
        first.run();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Times {@code task} (warm-up, then the best of 10 rounds of about 50 ms) and prints GB/s and ns/element. */
    private static void report(String name, long bytes, long elements, Runnable task) {
        long start = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - start < 400_000_000L || calls < 5) {
            task.run();
            calls++;
        }
        int perRound = Math.max(1, (int) (calls * 50_000_000L / (System.nanoTime() - start)));
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < perRound; k++) task.run();
            best = Math.min(best, (System.nanoTime() - t0) / (double) perRound);
        }
        System.out.printf("%-40s %8.2f GB/s %8.3f ns/elem %10.1f us/call%n", name, bytes / best, best / elements, best / 1e3);
    }
}
