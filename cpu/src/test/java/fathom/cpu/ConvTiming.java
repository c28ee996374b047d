package fathom.cpu;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.ConvGeometry;

/**
 * Prints the time of the float32 convolution passes (forward, input gradient, weight gradient) on the
 * layer shapes of LeNet-5 on 28x28 Fashion-MNIST and of a small ResNet at batch 128, in ms per call and
 * GFLOP/s (2·N·O·Ho·Wo·C/G·kH·kW per pass). A plain main, not a test and not JMH: each figure is the
 * best of several timed rounds after warm-up. An argument filters the shapes by name.
 *
 * <p>Run after {@code mvn -pl cpu -am test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:cpu/target/classes:cpu/target/test-classes fathom.cpu.ConvTiming}
 */
public final class ConvTiming {
    private static final CpuBackend CPU = new CpuBackend();

    private record Layer(String name, int[] x, int[] w, ConvGeometry g) {}

    private static final Layer[] LAYERS = {
        new Layer("lenet conv1 1->6 5x5 pad 2, 28x28", new int[] {128, 1, 28, 28}, new int[] {6, 1, 5, 5}, geometry(1, 2)),
        new Layer("lenet conv2 6->16 5x5, 14x14", new int[] {128, 6, 14, 14}, new int[] {16, 6, 5, 5}, geometry(1, 0)),
        new Layer("resnet 16->16 3x3, 28x28", new int[] {128, 16, 28, 28}, new int[] {16, 16, 3, 3}, geometry(1, 1)),
        new Layer("resnet 16->32 3x3 stride 2, 28x28", new int[] {128, 16, 28, 28}, new int[] {32, 16, 3, 3}, geometry(2, 1)),
        new Layer("resnet 32->32 3x3, 14x14", new int[] {128, 32, 14, 14}, new int[] {32, 32, 3, 3}, geometry(1, 1)),
        new Layer("resnet 64->64 3x3, 7x7", new int[] {128, 64, 7, 7}, new int[] {64, 64, 3, 3}, geometry(1, 1)),
        new Layer("resnet 128->128 3x3, 7x7", new int[] {128, 128, 7, 7}, new int[] {128, 128, 3, 3}, geometry(1, 1)),
    };

    private ConvTiming() {}

    private static ConvGeometry geometry(int stride, int pad) {
        return new ConvGeometry(stride, stride, pad, pad, 1, 1, 1);
    }

    public static void main(String[] args) {
        System.out.println("vectors: " + Simd.describe() + ", threads " + Parallel.threads());
        Rng rng = new Rng(1);
        for (Layer l : LAYERS) {
            if (args.length > 0 && !l.name().contains(args[0])) {
                continue;
            }
            Tensor x = Tensors.randn(rng, l.x());
            Tensor w = Tensors.randn(rng, l.w());
            Tensor b = Tensors.randn(rng, l.w()[0]);
            Tensor y = CPU.conv2d(x, w, b, l.g());
            Tensor gy = Tensors.randn(rng, y.shape().toArray());
            double flop = 2.0 * y.numel() * l.w()[1] * l.w()[2] * l.w()[3];
            report(l.name() + " forward", flop, () -> CPU.conv2d(x, w, b, l.g()));
            report(l.name() + " input grad", flop, () -> CPU.convTranspose2d(gy, w, null, l.g(), l.x()[2], l.x()[3]));
            report(l.name() + " weight grad", flop, () -> CPU.conv2dWeightGrad(x, gy, l.w()[2], l.w()[3], l.g()));
            // the yardstick: one plain product with the same multiply-adds, [O, C·kH·kW]·[C·kH·kW, N·Ho·Wo]
            int m = l.w()[0];
            int k = l.w()[1] * l.w()[2] * l.w()[3];
            int n = y.numel() / m;
            float[] a = new float[m * k];
            float[] bm = new float[k * n];
            float[] c = new float[m * n];
            report(l.name() + " matmul " + m + "x" + k + "x" + n, flop, () -> MatmulF32.gemm(m, n, k, a, 0, k, 1, bm, 0, n, 1, c, 0, n, false));
        }
    }

    private static void report(String name, double flop, Runnable task) {
        long start = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - start < 300_000_000L || calls < 3) {
            task.run();
            calls++;
        }
        int perRound = Math.max(1, (int) (calls * 60_000_000L / (System.nanoTime() - start)));
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < perRound; k++) {
                task.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) perRound);
        }
        System.out.printf("%-50s %8.2f ms %7.1f GFLOP/s%n", name, best / 1e6, flop / best);
    }
}
