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

    /**
     * The 2-d convolution (cross-correlation) y[n, o] = bias[o] + Σ_c x[n, c] ⋆ w[o, c] over the channels
     * of o's group, placed by {@code geometry}: x [N, C, H, W], w [O, C/groups, kH, kW], bias [O] or
     * null, y [N, O, Ho, Wo] (see {@link ConvGeometry#outputHeight}). The default runs the float64
     * reference loops.
     */
    default Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvGeometry geometry) {
        return ScalarConv.conv2d(x, weight, bias, geometry);
    }

    /**
     * The transposed convolution, the adjoint of {@link #conv2d} in x: x [N, C, H, W], w [C,
     * Cout/groups, kH, kW], bias [Cout] or null, output [N, Cout, outH, outW], where outH and outW may
     * exceed the size the input reaches (those rows and columns hold only the bias). It is also the
     * input gradient of conv2d (x = its output gradient, outH, outW = its input size).
     */
    default Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, ConvGeometry geometry, int outH, int outW) {
        return ScalarConv.convTranspose2d(x, weight, bias, geometry, outH, outW);
    }

    /**
     * The weight gradient of {@link #conv2d}: gw[o, c, i, j] = Σ gy[n, o, oh, ow]·x[n, c', ih, iw] over
     * the batch and every output position, for x [N, C, H, W] and gy [N, O, Ho, Wo] (any Ho, Wo: taps
     * that fall outside x read zero); gw [O, C/groups, kH, kW].
     */
    default Tensor conv2dWeightGrad(Tensor x, Tensor gradOutput, int kernelH, int kernelW, ConvGeometry geometry) {
        return ScalarConv.conv2dWeightGrad(x, gradOutput, kernelH, kernelW, geometry);
    }
}
