package fathom;

import fathom.autograd.Op;
import fathom.backend.Backends;
import fathom.backend.PoolAxis;

/**
 * Max, average and adaptive pooling over the last one or two dimensions (PyTorch's
 * {@code F.max_pool1d/2d}, {@code F.avg_pool2d}, {@code F.adaptive_avg_pool2d}, {@code F.adaptive_max_pool2d}).
 *
 * <p>2-d ops take x [N, C, H, W] or unbatched [C, H, W]; 1-d ops x [N, C, L] or [C, L]; the result
 * keeps the leading dimensions. Max pooling returns, when asked, the int64 index of each maximum
 * flattened within its input plane ({@code row·W + col}; for 1-d, the position along L), as PyTorch's
 * {@code return_indices}; ties keep the first maximum in row-major order and NaN propagates. Global
 * average pooling is {@code adaptiveAvgPool2d(x, 1)}. Each op is one fused primitive with its own
 * backward (the gradient of max pooling goes to the saved indices).
 *
 * <p>Deviation: PyTorch returns −∞ (and an index outside the plane) for a max-pooling window that lies
 * entirely in the padding, which dilation can produce; Fathom refuses such a configuration.
 */
public final class Pooling {
    private Pooling() {}

    /** Max over windows of {@code kernel} with stride {@code kernel}: [N, C, H, W] → [N, C, ⌊H/k⌋, ⌊W/k⌋]. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, PoolWindow.of(kernel));
    }

    /** Max over each window of x [N, C, H, W] or [C, H, W]. */
    public static Tensor maxPool2d(Tensor x, PoolWindow window) {
        return maxPool2dWithIndices(x, window).values();
    }

    /** Max over each window, with each maximum's int64 index {@code row·W + col} within its [H, W] plane. */
    public static ValuesAndIndices maxPool2dWithIndices(Tensor x, PoolWindow window) {
        Tensor x4 = batched("maxPool2d", x, 4);
        int height = x4.size(2);
        int width = x4.size(3);
        PoolAxis h = PoolAxis.sliding(height, outSize("maxPool2d", x, window, height, 0), window.kernel(0), window.stride(0),
                window.padding(0), window.dilation(0));
        PoolAxis w = PoolAxis.sliding(width, outSize("maxPool2d", x, window, width, 1), window.kernel(1), window.stride(1),
                window.padding(1), window.dilation(1));
        requireTaps("maxPool2d", x, window, h, w);
        return unbatched(maxPool(x4, h, w), x.dim() == 3);
    }

    /** Max over windows of {@code kernel} with stride {@code kernel} along the last dimension: [N, C, L] → [N, C, ⌊L/k⌋]. */
    public static Tensor maxPool1d(Tensor x, int kernel) {
        return maxPool1d(x, PoolWindow.of(kernel));
    }

    /** Max over each window along the last dimension of x [N, C, L] or [C, L]. */
    public static Tensor maxPool1d(Tensor x, PoolWindow window) {
        return maxPool1dWithIndices(x, window).values();
    }

    /** Max over each window along L, with each maximum's int64 position along L. */
    public static ValuesAndIndices maxPool1dWithIndices(Tensor x, PoolWindow window) {
        if (window.dims() != 1) {
            throw new IllegalArgumentException("maxPool1d takes one value per window argument, got " + window);
        }
        Tensor x3 = batched("maxPool1d", x, 3);
        int length = x3.size(2);
        PoolAxis h = PoolAxis.sliding(1, 1, 1, 1, 0, 1);
        PoolAxis w = PoolAxis.sliding(length, outSize("maxPool1d", x, window, length, 0), window.kernel(0), window.stride(0),
                window.padding(0), window.dilation(0));
        requireTaps("maxPool1d", x, window, h, w);
        ValuesAndIndices r = maxPool(x3.unsqueeze(2), h, w); // [N, C, 1, L]: a 2-d pool with a one-row window
        return unbatched(new ValuesAndIndices(r.values().squeeze(2), r.indices().squeeze(2)), x.dim() == 2);
    }

    /** Mean over windows of {@code kernel} with stride {@code kernel}. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, PoolWindow.of(kernel), true, null);
    }

    /**
     * Mean over each window of x [N, C, H, W] or [C, H, W]: the window sum divided by
     * {@code divisorOverride} when given, else by the window's size counting the padding
     * ({@code countIncludePad}, PyTorch's default) or only the input positions it covers. The window
     * may not use dilation.
     */
    public static Tensor avgPool2d(Tensor x, PoolWindow window, boolean countIncludePad, Integer divisorOverride) {
        if (window.dilation(0) != 1 || window.dilation(1) != 1) {
            throw new IllegalArgumentException("avgPool2d has no dilation, got " + window);
        }
        if (divisorOverride != null && divisorOverride == 0) {
            throw new IllegalArgumentException("avgPool2d: divisorOverride must not be zero");
        }
        Tensor x4 = batched("avgPool2d", x, 4);
        int height = x4.size(2);
        int width = x4.size(3);
        int oh = outSize("avgPool2d", x, window, height, 0);
        int ow = outSize("avgPool2d", x, window, width, 1);
        PoolAxis h = PoolAxis.sliding(height, oh, window.kernel(0), window.stride(0), window.padding(0), 1);
        PoolAxis w = PoolAxis.sliding(width, ow, window.kernel(1), window.stride(1), window.padding(1), 1);
        double[] divisor = new double[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                double d;
                if (divisorOverride != null) {
                    d = divisorOverride;
                } else if (countIncludePad) {
                    d = (double) paddedExtent(i, height, window, 0) * paddedExtent(j, width, window, 1);
                } else {
                    d = (double) h.taps()[i] * w.taps()[j];
                }
                divisor[i * ow + j] = d == 0 ? 1 : d; // an empty window sums to 0, as PyTorch returns
            }
        }
        return unbatched(avgPool(x4, h, w, divisor), x.dim() == 3);
    }

    /** The window's extent along d with padding counted, clipped at the right padding's end (PyTorch's pool_size). */
    private static int paddedExtent(int o, int size, PoolWindow window, int d) {
        int start = o * window.stride(d) - window.padding(d);
        int end = Math.min(start + window.kernel(d), size + window.padding(d));
        return end - start;
    }

    /** Mean over {@code size × size} adaptive windows; {@code adaptiveAvgPool2d(x, 1)} is global average pooling, [N, C, H, W] → [N, C, 1, 1]. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int size) {
        return adaptiveAvgPool2d(x, size, size);
    }

    /** Mean over PyTorch's adaptive windows, rows {@code [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)} and likewise columns: [N, C, outH, outW]. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        Tensor x4 = adaptiveInput("adaptiveAvgPool2d", x, outH, outW);
        PoolAxis h = PoolAxis.adaptive(x4.size(2), outH);
        PoolAxis w = PoolAxis.adaptive(x4.size(3), outW);
        double[] divisor = new double[outH * outW];
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < outW; j++) {
                divisor[i * outW + j] = (double) h.taps()[i] * w.taps()[j];
            }
        }
        return unbatched(avgPool(x4, h, w, divisor), x.dim() == 3);
    }

    /** Max over PyTorch's adaptive windows: [N, C, outH, outW]. */
    public static Tensor adaptiveMaxPool2d(Tensor x, int outH, int outW) {
        return adaptiveMaxPool2dWithIndices(x, outH, outW).values();
    }

    /** Max over adaptive windows, with each maximum's int64 index {@code row·W + col} within its plane. */
    public static ValuesAndIndices adaptiveMaxPool2dWithIndices(Tensor x, int outH, int outW) {
        Tensor x4 = adaptiveInput("adaptiveMaxPool2d", x, outH, outW);
        return unbatched(maxPool(x4, PoolAxis.adaptive(x4.size(2), outH), PoolAxis.adaptive(x4.size(3), outW)), x.dim() == 3);
    }

    private static Tensor adaptiveInput(String op, Tensor x, int outH, int outW) {
        if (outH < 0 || outW < 0) {
            throw new IllegalArgumentException(op + ": the output size must be non-negative, got [" + outH + ", " + outW + "]");
        }
        Tensor x4 = batched(op, x, 4);
        if (x4.size(2) == 0 || x4.size(3) == 0) {
            throw new ShapeException(op + ": expected an input with non-zero height and width, got " + x.shape());
        }
        return x4;
    }

    // ---- the primitives ----

    private static ValuesAndIndices maxPool(Tensor x, PoolAxis h, PoolAxis w) {
        Tensor[] r = Backends.current().maxPool2d(x, h, w);
        return new ValuesAndIndices(Autograd.record(new Op.MaxPool(x.shape()), r[0], x, r[1]), r[1]);
    }

    private static Tensor avgPool(Tensor x, PoolAxis h, PoolAxis w, double[] divisor) {
        return Autograd.record(new Op.AvgPool(x.shape(), h, w, divisor), Backends.current().avgPool2d(x, h, w, divisor), x);
    }

    // ---- shapes ----

    /** x as a batched rank-{@code rank} tensor (a leading 1 added to an unbatched input), after checking its rank and dtype. */
    private static Tensor batched(String op, Tensor x, int rank) {
        if (x.dim() != rank && x.dim() != rank - 1) {
            String dims = rank == 4 ? "[N, C, H, W] or [C, H, W]" : "[N, C, L] or [C, L]";
            throw new ShapeException(op + " expects an input of shape " + dims + ", got " + x.shape());
        }
        if (!x.dtype().isFloating()) {
            throw new DTypeException(op + " needs a floating tensor, got " + x.dtype());
        }
        return x.dim() == rank ? x : x.unsqueeze(0);
    }

    private static ValuesAndIndices unbatched(ValuesAndIndices r, boolean squeeze) {
        return squeeze ? new ValuesAndIndices(r.values().squeeze(0), r.indices().squeeze(0)) : r;
    }

    private static Tensor unbatched(Tensor r, boolean squeeze) {
        return squeeze ? r.squeeze(0) : r;
    }

    private static int outSize(String op, Tensor x, PoolWindow window, int size, int d) {
        int out = window.outputSize(size, d);
        if (out < 1) {
            throw new ShapeException(op + ": input " + x.shape() + " is too small for " + window + " (output size " + out
                    + " along spatial dimension " + d + ")");
        }
        return out;
    }

    private static void requireTaps(String op, Tensor x, PoolWindow window, PoolAxis h, PoolAxis w) {
        for (PoolAxis a : new PoolAxis[] {h, w}) {
            for (int o = 0; o < a.outSize(); o++) {
                if (a.taps()[o] == 0) {
                    throw new IllegalArgumentException(op + ": with " + window + " window " + o + " of input " + x.shape()
                            + " lies entirely in the padding (PyTorch would return -inf there)");
                }
            }
        }
    }
}
