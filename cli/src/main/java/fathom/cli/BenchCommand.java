package fathom.cli;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.cpu.Fp32Peak;
import fathom.cpu.Parallel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/** {@code fathom bench}: throughput of the kernels that training spends its time in. */
final class BenchCommand implements Subcommand {
    private static final List<String> BENCHMARKS = List.of("matmul", "elementwise", "overhead", "mlp", "lenet", "lstm", "gpt", "all");
    /** The benchmarks that {@code --stream} runs, each with its training step. */
    private static final Map<String, Supplier<Runnable>> STREAMED = Map.of("mlp", MlpTiming::trainStep, "lenet", LenetTiming::trainStep,
            "lstm", SequenceTiming::lstmStep, "gpt", SequenceTiming::gptStep);
    /** The product {@code matmul --stream} times without {@code --shape}: {m, k, n}. */
    private static final int[] STREAMED_SHAPE = {2048, 2048, 2048};

    String what;
    Integer threads;
    boolean stream;
    int[] shape;

    @Override
    public void declare(Options o) {
        o.parameter("benchmark", "all", "matmul, elementwise, overhead, mlp, lenet, lstm, gpt or all", Options.TEXT, v -> what = v);
        o.option("--threads", null, "Threads for the CPU backend (default: all cores, or FATHOM_THREADS).", Options.INT, v -> threads = v);
        o.flag("--stream", "Train mlp, lenet, lstm or gpt (or multiply --shape for matmul) until output is closed, printing "
                + "'step <ms>' per step (for reference/side_by_side.py, which times Fathom and PyTorch in alternation).", () -> stream = true);
        o.option("--shape", null, "m,k,n of the product that 'matmul --stream' times, [m, k]·[k, n] (default: 2048,2048,2048).",
                Options.INTS, v -> shape = v);
    }

    @Override
    public int run() {
        if (!BENCHMARKS.contains(what)) {
            throw new UsageException("unknown benchmark '" + what + "'; choose " + String.join(", ", BENCHMARKS));
        }
        if (stream && !what.equals("matmul") && !STREAMED.containsKey(what)) {
            throw new UsageException("--stream needs matmul or one of " + String.join(", ", new TreeSet<>(STREAMED.keySet())) + ", not '" + what + "'");
        }
        if (shape != null && !(stream && what.equals("matmul"))) {
            throw new UsageException("--shape is for 'bench matmul --stream' only");
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        if (stream) {
            Runnable step = what.equals("matmul") ? MatmulTiming.step(shape != null ? shape : STREAMED_SHAPE) : STREAMED.get(what).get();
            SteadyTimer.stream(step);
            return 0;
        }
        System.out.printf("threads: %d%n", Parallel.threads());
        // the peak first, on an idle JVM: measured after a training step, the JIT's background compiles
        // could halve it (an LSTM run read 86 GFLOP/s against 176-195 in the others)
        Fp32Peak.measureGflops();
        switch (what) {
            case "matmul" -> MatmulTiming.printTable(MatmulTiming.defaultCases());
            case "elementwise" -> elementwise();
            case "overhead" -> overhead();
            case "mlp" -> MlpTiming.print();
            case "lenet" -> LenetTiming.print();
            case "lstm" -> SequenceTiming.printLstm();
            case "gpt" -> SequenceTiming.printGpt();
            case "all" -> {
                MatmulTiming.printTable(MatmulTiming.defaultCases());
                elementwise();
                overhead();
                MlpTiming.print();
                LenetTiming.print();
                SequenceTiming.printLstm();
                SequenceTiming.printGpt();
            }
            default -> throw new IllegalStateException("no benchmark " + what);
        }
        return 0;
    }

    private static void elementwise() {
        Rng rng = new Rng(0);
        int n = 1 << 22;
        Tensor a = Tensors.randn(rng, n);
        Tensor b = Tensors.randn(rng, n);
        Tensor rows = Tensors.randn(rng, 128, 1024);
        System.out.printf("%-40s %10s %10s%n", "elementwise (float32)", "ms/call", "GB/s");
        report("add, 2^22 elements", 12.0 * n, () -> a.add(b));
        report("exp, 2^22 elements", 8.0 * n, a::exp);
        report("relu, 2^22 elements", 8.0 * n, a::relu);
        report("sum, 2^22 elements", 4.0 * n, a::sum);
        report("softmax over rows, 128x1024", 8.0 * rows.numel(), () -> rows.softmax(1));
    }

    private static void report(String label, double bytes, java.util.function.Supplier<Tensor> op) {
        double s = median(op, 2.0, 20);
        System.out.printf("%-40s %10.3f %10.1f%n", label, s * 1e3, bytes / s / 1e9);
    }

    private static void overhead() {
        Rng rng = new Rng(0);
        Tensor a = Tensors.randn(rng, 16);
        Tensor b = Tensors.randn(rng, 16);
        Tensor w = Tensors.randn(rng, 16).requiresGrad(true);
        System.out.printf("%-40s %10s%n", "per-op overhead", "ns/op");
        System.out.printf("%-40s %10.0f%n", "add of two 16-element tensors", 1e9 * median(() -> a.add(b), 0.5, 200_000));
        System.out.printf("%-40s %10.0f%n", "same, recording autograd", 1e9 * median(() -> w.add(b), 0.5, 200_000));
    }

    /** Median seconds per call over 7 timed batches of {@code reps} calls, after {@code warmSeconds} of warm-up. */
    static double median(java.util.function.Supplier<Tensor> op, double warmSeconds, int reps) {
        long warmEnd = System.nanoTime() + (long) (warmSeconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            op.get();
        }
        double[] runs = new double[7];
        for (int r = 0; r < runs.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                op.get();
            }
            runs[r] = (System.nanoTime() - t0) / 1e9 / reps;
        }
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }
}
