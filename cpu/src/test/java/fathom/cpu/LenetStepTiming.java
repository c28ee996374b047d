package fathom.cpu;

import fathom.Autograd;
import fathom.Convolution;
import fathom.Pooling;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.ConvGeometry;
import fathom.backend.PoolAxis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the CPU time of LeNet-5's convolution passes and of its whole training step (batch 128, SGD
 * momentum 0.9, written out with core's functions so this module needs no nn), on one thread, each
 * variant timed in alternation with the others in one JVM by the thread's CPU time (as {@link MatmulTiming} reads it), so a busy machine
 * slows them alike. A variant is a setting of the switches under test ({@code ConvF32.DIRECT}, {@code ConvF32.ACROSS_BATCH}). A plain
 * main, not a test. The figure is the median over rounds of the mean per call within a round.
 *
 * <p>Run after {@code mvn -pl cpu -am test-compile}: {@code java --add-modules jdk.incubator.vector -cp
 * core/target/classes:cpu/target/classes:cpu/target/test-classes fathom.cpu.LenetStepTiming [rounds [filter]]}
 */
public final class LenetStepTiming {
    private static final CpuBackend CPU = new CpuBackend();

    private LenetStepTiming() {}

    /** A named setting of the switches under test. */
    private record Variant(String name, Runnable apply) {}

    public static void main(String[] args) {
        Parallel.setThreads(1);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<Variant> variants = List.of(
                new Variant("im2col", () -> {
                    ConvF32.ACROSS_BATCH = false;
                    ConvF32.DIRECT = false;
                }),
                new Variant("direct", () -> {
                    ConvF32.ACROSS_BATCH = false;
                    ConvF32.DIRECT = true;
                }),
                new Variant("batch", () -> {
                    ConvF32.ACROSS_BATCH = true;
                    ConvF32.DIRECT = true;
                }));
        Rng rng = new Rng(3);
        Tensor x = Tensors.rand(rng, 128, 1, 28, 28);
        Tensor w1 = Tensors.randn(rng, 6, 1, 5, 5).mul(0.2);
        Tensor b1 = Tensors.randn(rng, 6).mul(0.1);
        ConvGeometry g1 = new ConvGeometry(1, 1, 2, 2, 1, 1, 1);
        Tensor gy1 = Tensors.randn(rng, 128, 6, 28, 28);
        Map<String, Runnable> ops = new LinkedHashMap<>();
        ops.put("conv1 forward", () -> CPU.conv2d(x, w1, b1, g1));
        ops.put("conv1 weight grad", () -> CPU.conv2dWeightGrad(x, gy1, 5, 5, g1));
        Tensor x2 = Tensors.randn(rng, 128, 6, 14, 14);
        Tensor w2 = Tensors.randn(rng, 16, 6, 5, 5).mul(0.1);
        Tensor b2 = Tensors.randn(rng, 16).mul(0.1);
        Tensor gy2 = Tensors.randn(rng, 128, 16, 10, 10);
        ConvGeometry g2 = ConvGeometry.unit();
        ops.put("conv2 forward", () -> CPU.conv2d(x2, w2, b2, g2));
        ops.put("conv2 input grad", () -> CPU.convTranspose2d(gy2, w2, null, g2, 14, 14));
        ops.put("conv2 weight grad", () -> CPU.conv2dWeightGrad(x2, gy2, 5, 5, g2));
        for (int[] r : new int[][] {{8, 28}, {16, 28}, {32, 14}, {64, 7}, {128, 7}}) {
            Tensor xr = Tensors.randn(rng, 32, r[0], r[1], r[1]);
            Tensor wr = Tensors.randn(rng, r[0], r[0], 3, 3).mul(0.1);
            Tensor gr = Tensors.randn(rng, 32, r[0], r[1], r[1]);
            ConvGeometry same = new ConvGeometry(1, 1, 1, 1, 1, 1, 1);
            String name = "resnet " + r[0] + "ch " + r[1] + "x" + r[1] + " batch 32";
            ops.put(name + " forward", () -> CPU.conv2d(xr, wr, null, same));
            ops.put(name + " weight grad", () -> CPU.conv2dWeightGrad(xr, gr, 3, 3, same));
            ops.put(name + " input grad", () -> CPU.convTranspose2d(gr, wr, null, same, r[1], r[1]));
        }
        Tensor p1 = Tensors.randn(rng, 128, 6, 28, 28);
        PoolAxis pair = PoolAxis.sliding(28, 14, 2, 2, 0, 1);
        float[] pin = p1.toFloatArray();
        float[] pout = new float[128 * 6 * 14 * 14];
        long[] pidx = new long[pout.length];
        ops.put("maxpool1 forward (backend)", () -> CPU.maxPool2d(p1, pair, pair));
        ops.put("maxpool1 forward, general kernel", () -> {
            if (Simd.ENABLED) {
                MaxPoolF32Vector.forward(pin, 0, 128 * 6, 28, 28, pair, pair, pout, pidx, 0);
            } else {
                MaxPoolF32Scalar.forward(pin, 0, 128 * 6, 28, 28, pair, pair, pout, pidx, 0);
            }
        });
        ops.put("maxpool1 forward, pairs kernel", () -> MaxPoolF32.forwardPairs(pin, 0, 128 * 6, 28, 28, 14, 14, pout, pidx, 0));
        PoolAxis pair2 = PoolAxis.sliding(10, 5, 2, 2, 0, 1);
        float[] pin2 = Tensors.randn(rng, 128, 16, 10, 10).toFloatArray();
        ops.put("maxpool2 forward, general kernel", () -> {
            if (Simd.ENABLED) {
                MaxPoolF32Vector.forward(pin2, 0, 128 * 16, 10, 10, pair2, pair2, pout, pidx, 0);
            } else {
                MaxPoolF32Scalar.forward(pin2, 0, 128 * 16, 10, 10, pair2, pair2, pout, pidx, 0);
            }
        });
        ops.put("maxpool2 forward, pairs kernel", () -> MaxPoolF32.forwardPairs(pin2, 0, 128 * 16, 10, 10, 5, 5, pout, pidx, 0));
        Lenet net = new Lenet(rng);
        Tensor labels = Tensors.randint(rng, 0, 10, 128);
        ops.put("lenet step", () -> net.step(x, labels));
        if (args.length > 1) {
            ops.keySet().removeIf(name -> !name.contains(args[1]));
        }
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (int round = 0; round < rounds + 3; round++) {
            for (var op : ops.entrySet()) {
                for (Variant v : variants) {
                    v.apply().run();
                    double ms = time(op.getValue());
                    if (round >= 3) {
                        times.computeIfAbsent(op.getKey() + " | " + v.name(), _ -> new ArrayList<>()).add(ms);
                    }
                }
            }
        }
        System.out.println("one thread, CPU time per call, median of " + rounds + " rounds (" + Simd.describe() + ")");
        times.forEach((name, list) -> {
            list.sort(null);
            System.out.printf("%-40s %8.3f ms  (min %.3f, max %.3f)%n", name, list.get(list.size() / 2), list.getFirst(), list.getLast());
        });
    }

    /** Mean CPU time of one call, over calls filling about 200 ms. */
    private static double time(Runnable r) {
        r.run();
        long t0 = MatmulTiming.threadCpuNanos();
        int calls = 0;
        long t;
        do {
            r.run();
            calls++;
            t = MatmulTiming.threadCpuNanos();
        } while (t - t0 < 200_000_000L);
        return (t - t0) / 1e6 / calls;
    }

    /** LeNet-5 for 28x28 inputs, its training step written with core's functions: cross-entropy, SGD momentum 0.9, lr 0.05. */
    private static final class Lenet {
        private final List<Tensor> params = new ArrayList<>();
        private final List<Tensor> velocity = new ArrayList<>();

        Lenet(Rng rng) {
            int[][] shapes = {{6, 1, 5, 5}, {6}, {16, 6, 5, 5}, {16}, {400, 120}, {120}, {120, 84}, {84}, {84, 10}, {10}};
            for (int[] s : shapes) {
                params.add(Tensors.randn(rng, s).mul(0.1).requiresGrad(true));
                velocity.add(Tensors.zeros(s));
            }
        }

        private Tensor p(int i) {
            return params.get(i);
        }

        void step(Tensor x, Tensor y) {
            for (Tensor t : params) {
                t.zeroGrad();
            }
            Tensor h = Pooling.maxPool2d(Convolution.conv2d(x, p(0), p(1), 1, 2).relu(), 2);
            h = Pooling.maxPool2d(Convolution.conv2d(h, p(2), p(3)).relu(), 2).flatten(1, -1); // [128, 400]
            h = h.matmul(p(4)).add(p(5)).relu();
            h = h.matmul(p(6)).add(p(7)).relu();
            Tensor logits = h.matmul(p(8)).add(p(9));
            logits.logSoftmax(1).gather(1, y.unsqueeze(1)).neg().mean().backward();
            try (var _ = Autograd.noGrad()) {
                for (int i = 0; i < params.size(); i++) {
                    Tensor v = velocity.get(i);
                    v.mulInPlace(0.9).addInPlace(params.get(i).grad());
                    params.get(i).subInPlace(v.mul(0.05));
                }
            }
        }
    }

}
