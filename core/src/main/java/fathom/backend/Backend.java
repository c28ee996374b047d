package fathom.backend;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * The primitive ops that autograd and every layer above it are built from; a backend computes them
 * on raw tensors and records nothing (autograd does that, one level up).
 *
 * <p>Inputs may be any strided views (transposed, sliced, expanded with stride 0, flipped with
 * negative strides); outputs are new contiguous tensors unless the method writes into its first
 * argument. Callers have already checked shapes and promoted dtypes, so a backend may assume operands
 * of one dtype and broadcastable shapes. Backends are found with {@link java.util.ServiceLoader};
 * the one with the highest {@link #priority()} runs (see {@link Backends}). {@link ScalarBackend} is
 * the reference that every faster backend is tested against. The fused ops at the end are default
 * methods that compose primitives; a backend overrides one only with a faster kernel.
 */
public interface Backend {
    /** A short name for logs and benchmarks. */
    String name();

    /** Higher wins when several backends are on the module path. */
    int priority();

    /** {@code op(x)} element-wise, same shape and dtype. */
    Tensor unary(UnaryOp op, Tensor x);

    /** {@code op(a, b)} element-wise with broadcasting; a and b share a dtype, which the result keeps. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /** {@code a = op(a, b)} in place, b broadcast to a's shape; a must not overlap itself. */
    void binaryInPlace(BinaryOp op, Tensor a, Tensor b);

    /** {@code op(a, b)} element-wise with broadcasting, as bool. */
    Tensor compare(CompareOp op, Tensor a, Tensor b);

    /** {@code cond ? a : b} element-wise, all three broadcast; a and b share a dtype. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** Sum over {@code dims} (sorted, distinct, non-negative), keeping them as size 1; integers and bool sum to int64. */
    Tensor sum(Tensor x, int[] dims);

    /** Maximum over {@code dims}, keeping them as size 1; NaN propagates. */
    Tensor amax(Tensor x, int[] dims);

    /** Minimum over {@code dims}, keeping them as size 1; NaN propagates. */
    Tensor amin(Tensor x, int[] dims);

    /** Product along {@code dim}, keeping it as size 1. */
    Tensor prod(Tensor x, int dim);

    /** Index (int64) of the first maximum along {@code dim}, kept as size 1; NaN counts as the maximum. */
    Tensor argmax(Tensor x, int dim);

    /** Index (int64) of the first minimum along {@code dim}, kept as size 1; NaN counts as the minimum. */
    Tensor argmin(Tensor x, int dim);

    /** Running sum along {@code dim}. */
    Tensor cumsum(Tensor x, int dim);

    /** Matrix product of two 2-d tensors [M, K]·[K, N], or of two 3-d tensors with one batch size [B, M, K]·[B, K, N]. */
    Tensor matmul(Tensor a, Tensor b);

    /** {@code out[i][j] = x[index[i][j]][j]} for dim 0 (and likewise for any dim); the result has index's shape. */
    Tensor gather(Tensor x, int dim, Tensor index);

    /** A copy of x with {@code src} written (or added, when accumulating) at the positions index names along dim. */
    Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, boolean accumulate);

    /** A contiguous copy of x converted to {@code dtype} (floats to integers truncate toward zero). */
    Tensor copy(Tensor x, DType dtype);

    /** Writes src, broadcast to dst's shape and converted to dst's dtype, into the view dst. */
    void copyInto(Tensor dst, Tensor src);

    /** A new tensor of {@code shape} with every element {@code value}. */
    default Tensor full(Shape shape, DType dtype, double value) {
        Tensor out = Tensors.zeros(shape, dtype);
        copyInto(out, Tensors.scalar(value, dtype));
        return out;
    }

    /** exp(x − max) / Σ exp(x − max) along dim; subtracting the maximum keeps exp from overflowing. */
    default Tensor softmax(Tensor x, int dim) {
        int[] d = {dim};
        Tensor e = unary(UnaryOp.EXP, binary(BinaryOp.SUB, x, amax(x, d)));
        return binary(BinaryOp.DIV, e, sum(e, d));
    }

    /** x − max − log Σ exp(x − max) along dim. */
    default Tensor logSoftmax(Tensor x, int dim) {
        int[] d = {dim};
        Tensor shifted = binary(BinaryOp.SUB, x, amax(x, d));
        Tensor logSum = unary(UnaryOp.LOG, sum(unary(UnaryOp.EXP, shifted), d));
        return binary(BinaryOp.SUB, shifted, logSum);
    }

    /** The vector-Jacobian product of softmax: y·(g − Σ g·y) along dim. */
    default Tensor softmaxBackward(Tensor y, Tensor g, int dim) {
        Tensor dot = sum(binary(BinaryOp.MUL, g, y), new int[] {dim});
        return binary(BinaryOp.MUL, y, binary(BinaryOp.SUB, g, dot));
    }

    /** The vector-Jacobian product of logSoftmax: g − exp(y)·Σ g along dim. */
    default Tensor logSoftmaxBackward(Tensor y, Tensor g, int dim) {
        Tensor total = sum(g, new int[] {dim});
        return binary(BinaryOp.SUB, g, binary(BinaryOp.MUL, unary(UnaryOp.EXP, y), total));
    }

    // ---- pooling and batch normalization: fused ops whose defaults are the reference (loops, or composed primitives) ----

    /**
     * {values, indices}: the maximum of each window of x [N, C, H, W] (windows {@code h} × {@code w}),
     * each [N, C, OH, OW], and its int64 index {@code row·W + col} within its [H, W] plane (PyTorch's
     * {@code return_indices}). Taps are scanned row by row; a larger value or a NaN takes over, so ties
     * keep the first maximum and NaN propagates. A window without taps gives −∞ and index −1.
     */
    default Tensor[] maxPool2d(Tensor x, PoolAxis h, PoolAxis w) {
        return PoolingReference.maxPool2d(x, h, w);
    }

    /** The gradient of {@link #maxPool2d}: g [N, C, OH, OW] added into zeros of {@code inputShape} at each plane's indices (negative ones skipped). */
    default Tensor maxPool2dBackward(Tensor g, Tensor indices, Shape inputShape) {
        return PoolingReference.maxPoolBackward(g, indices, inputShape);
    }

    /** The sum of each window of x [N, C, H, W] divided by {@code divisor[oh·OW + ow]}: [N, C, OH, OW]. */
    default Tensor avgPool2d(Tensor x, PoolAxis h, PoolAxis w, double[] divisor) {
        return PoolingReference.avgPool2d(x, h, w, divisor);
    }

    /** The gradient of {@link #avgPool2d}: each g[n, c, oh, ow] / divisor added over its window, in a tensor of {@code inputShape}. */
    default Tensor avgPool2dBackward(Tensor g, PoolAxis h, PoolAxis w, double[] divisor, Shape inputShape) {
        return PoolingReference.avgPool2dBackward(g, h, w, divisor, inputShape);
    }

    /** {mean, var}: the mean and biased variance of x [N, C, *] per channel (over every dimension but 1), each [C]. */
    default Tensor[] batchNormStats(Tensor x) {
        int[] dims = allButChannels(x.dim());
        int c = x.size(1);
        Tensor count = Tensors.scalar(c == 0 ? 0 : x.numel() / c, x.dtype());
        Tensor mean = binary(BinaryOp.DIV, sum(x, dims), count);
        Tensor var = binary(BinaryOp.DIV, sum(unary(UnaryOp.SQUARE, binary(BinaryOp.SUB, x, mean)), dims), count);
        return new Tensor[] {mean.reshape(c), var.reshape(c)};
    }

    /** y = (x − mean)·invStd·weight + bias per channel of x [N, C, *]; mean, invStd, weight and bias are [C] (weight and bias may be null). */
    default Tensor batchNormForward(Tensor x, Tensor mean, Tensor invStd, Tensor weight, Tensor bias) {
        Tensor y = binary(BinaryOp.MUL, binary(BinaryOp.SUB, x, perChannel(mean, x.dim())), perChannel(invStd, x.dim()));
        return weight == null ? y
                : binary(BinaryOp.ADD, binary(BinaryOp.MUL, y, perChannel(weight, x.dim())), perChannel(bias, x.dim()));
    }

    /**
     * {gx, gweight, gbias} of {@link #batchNormForward} given its output gradient g (gweight and gbias
     * [C]; null without weight). With {@code batchStats} the mean and invStd were computed from x, and
     * gx = invStd·w·(g − mean(g) − x̂·mean(g·x̂)) over each channel, with x̂ = (x − mean)·invStd;
     * otherwise they are constants and gx = g·invStd·w.
     */
    default Tensor[] batchNormBackward(Tensor g, Tensor x, Tensor mean, Tensor invStd, Tensor weight, boolean batchStats) {
        int rank = x.dim();
        int[] dims = allButChannels(rank);
        int c = x.size(1);
        Tensor is = perChannel(invStd, rank);
        Tensor xhat = binary(BinaryOp.MUL, binary(BinaryOp.SUB, x, perChannel(mean, rank)), is);
        Tensor gb = sum(g, dims);
        Tensor gw = sum(binary(BinaryOp.MUL, g, xhat), dims);
        Tensor scale = weight == null ? is : binary(BinaryOp.MUL, is, perChannel(weight, rank));
        Tensor gx;
        if (batchStats) {
            Tensor count = Tensors.scalar(c == 0 ? 0 : x.numel() / c, x.dtype());
            Tensor centered = binary(BinaryOp.SUB, binary(BinaryOp.SUB, g, binary(BinaryOp.DIV, gb, count)),
                    binary(BinaryOp.MUL, xhat, binary(BinaryOp.DIV, gw, count)));
            gx = binary(BinaryOp.MUL, centered, scale);
        } else {
            gx = binary(BinaryOp.MUL, g, scale);
        }
        return new Tensor[] {gx, weight == null ? null : gw.reshape(c), weight == null ? null : gb.reshape(c)};
    }

    /** Every dimension of a rank-{@code rank} tensor but the channel dimension 1. */
    private static int[] allButChannels(int rank) {
        int[] dims = new int[rank - 1];
        dims[0] = 0;
        for (int d = 2; d < rank; d++) {
            dims[d - 1] = d;
        }
        return dims;
    }

    /** A [C] tensor viewed as [1, C, 1, ...] so that it broadcasts over x [N, C, *]. */
    private static Tensor perChannel(Tensor t, int rank) {
        int[] sizes = new int[rank];
        java.util.Arrays.fill(sizes, 1);
        sizes[1] = t.numel();
        return t.detach().reshape(sizes);
    }
}
