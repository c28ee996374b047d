package fathom.cpu;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.PoolAxis;

/**
 * The float32 pooling and batch-normalization ops of {@link CpuBackend} on tensors: contiguous inputs
 * (the backend copies others first), results allocated here, and the work split over {@link Parallel}:
 * pooling by [H, W] planes (N·C of them), batch normalization by channels.
 */
final class SpatialF32 {
    private SpatialF32() {}

    /** Planes per parallel task such that a task covers about {@link CpuBackend#GRAIN} input elements. */
    private static int planeGrain(int area) {
        return Math.max(1, CpuBackend.GRAIN / Math.max(1, area));
    }

    static Tensor[] maxPool2d(Tensor x, PoolAxis h, PoolAxis w) {
        int planes = x.size(0) * x.size(1);
        int height = x.size(2);
        int width = x.size(3);
        Shape shape = Shape.of(x.size(0), x.size(1), h.outSize(), w.outSize());
        Tensor out = Tensors.zeros(shape, DType.FLOAT32);
        Tensor idx = Tensors.zeros(shape, DType.INT64);
        float[] in = x.storage().floats();
        float[] o = out.storage().floats();
        long[] ix = idx.storage().longs();
        int area = height * width;
        int outArea = h.outSize() * w.outSize();
        int off = x.offset();
        Parallel.forRange(planes, planeGrain(area), (s, e) ->
                MaxPoolF32.forward(in, off + s * area, e - s, height, width, h, w, o, ix, s * outArea));
        return new Tensor[] {out, idx};
    }

    static Tensor maxPool2dBackward(Tensor g, Tensor indices, Shape inputShape) {
        Tensor gx = Tensors.zeros(inputShape, DType.FLOAT32);
        int planes = inputShape.size(0) * inputShape.size(1);
        int area = inputShape.size(2) * inputShape.size(3);
        int outArea = planes == 0 ? 0 : g.numel() / planes;
        float[] gs = g.storage().floats();
        long[] ix = indices.storage().longs();
        float[] o = gx.storage().floats();
        int go = g.offset();
        int io = indices.offset();
        Parallel.forRange(planes, planeGrain(area), (s, e) ->
                MaxPoolF32.backward(gs, go + s * outArea, ix, io + s * outArea, e - s, outArea, o, s * area, area));
        return gx;
    }

    static Tensor avgPool2d(Tensor x, PoolAxis h, PoolAxis w, double[] divisor) {
        int planes = x.size(0) * x.size(1);
        int height = x.size(2);
        int width = x.size(3);
        Tensor out = Tensors.zeros(Shape.of(x.size(0), x.size(1), h.outSize(), w.outSize()), DType.FLOAT32);
        float[] in = x.storage().floats();
        float[] o = out.storage().floats();
        int area = height * width;
        int outArea = h.outSize() * w.outSize();
        int off = x.offset();
        Parallel.forRange(planes, planeGrain(area), (s, e) ->
                AvgPoolF32.forward(in, off + s * area, e - s, height, width, h, w, divisor, o, s * outArea));
        return out;
    }

    static Tensor avgPool2dBackward(Tensor g, PoolAxis h, PoolAxis w, double[] divisor, Shape inputShape) {
        Tensor gx = Tensors.zeros(inputShape, DType.FLOAT32);
        int planes = inputShape.size(0) * inputShape.size(1);
        int height = inputShape.size(2);
        int width = inputShape.size(3);
        int area = height * width;
        int outArea = h.outSize() * w.outSize();
        float[] gs = g.storage().floats();
        float[] o = gx.storage().floats();
        int go = g.offset();
        Parallel.forRange(planes, planeGrain(area), (s, e) ->
                AvgPoolF32.backward(gs, go + s * outArea, e - s, height, width, h, w, divisor, o, s * area));
        return gx;
    }

    /** [N, C, S] sizes of x [N, C, *]. */
    private static int[] ncs(Tensor x) {
        int n = x.size(0);
        int c = x.size(1);
        return new int[] {n, c, n * c == 0 ? 0 : x.numel() / (n * c)};
    }

    /** Channels per parallel task such that a task covers about {@link CpuBackend#GRAIN} elements. */
    private static int channelGrain(int[] ncs) {
        return Math.max(1, CpuBackend.GRAIN / Math.max(1, ncs[0] * ncs[2]));
    }

    static Tensor[] batchNormStats(Tensor x) {
        int[] d = ncs(x);
        Tensor mean = Tensors.zeros(Shape.of(d[1]), DType.FLOAT32);
        Tensor var = Tensors.zeros(Shape.of(d[1]), DType.FLOAT32);
        float[] in = x.storage().floats();
        float[] m = mean.storage().floats();
        float[] v = var.storage().floats();
        int off = x.offset();
        Parallel.forRange(d[1], channelGrain(d), (s, e) -> BatchNormF32.stats(in, off, d[0], d[1], d[2], s, e, m, v));
        return new Tensor[] {mean, var};
    }

    static Tensor batchNormForward(Tensor x, Tensor mean, Tensor invStd, Tensor weight, Tensor bias) {
        int[] d = ncs(x);
        Tensor y = Tensors.zeros(x.shape(), DType.FLOAT32);
        float[] in = x.storage().floats();
        float[] out = y.storage().floats();
        float[] m = mean.toFloatArray();
        float[] is = invStd.toFloatArray();
        float[] w = weight == null ? null : weight.toFloatArray();
        float[] b = bias == null ? null : bias.toFloatArray();
        int off = x.offset();
        Parallel.forRange(d[1], channelGrain(d), (s, e) -> BatchNormF32.forward(in, off, d[0], d[1], d[2], s, e, m, is, w, b, out, 0));
        return y;
    }

    static Tensor[] batchNormBackward(Tensor g, Tensor x, Tensor mean, Tensor invStd, Tensor weight, boolean batchStats) {
        int[] d = ncs(x);
        Tensor gx = Tensors.zeros(x.shape(), DType.FLOAT32);
        Tensor gw = weight == null ? null : Tensors.zeros(Shape.of(d[1]), DType.FLOAT32);
        Tensor gb = weight == null ? null : Tensors.zeros(Shape.of(d[1]), DType.FLOAT32);
        float[] gs = g.storage().floats();
        float[] in = x.storage().floats();
        float[] o = gx.storage().floats();
        float[] m = mean.toFloatArray();
        float[] is = invStd.toFloatArray();
        float[] w = weight == null ? null : weight.toFloatArray();
        float[] gwa = gw == null ? null : gw.storage().floats();
        float[] gba = gb == null ? null : gb.storage().floats();
        int go = g.offset();
        int xo = x.offset();
        Parallel.forRange(d[1], channelGrain(d), (s, e) ->
                BatchNormF32.backward(gs, go, in, xo, d[0], d[1], d[2], s, e, m, is, w, batchStats, o, 0, gwa, gba));
        return new Tensor[] {gx, gw, gb};
    }
}
