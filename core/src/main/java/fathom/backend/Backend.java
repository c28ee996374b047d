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
     * The LSTM cell from pre-activation gates [B, 4H] (i, f, g, o, PyTorch's order) and cell state c [B, H]:
     * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'); the result is [B, 2H], h' then c'.
     */
    default Tensor lstmCell(Tensor gates, Tensor c) {
        return RecurrentComposite.lstmCell(this, gates, c);
    }

    /** The vector-Jacobian product of {@link #lstmCell} given its output hc and gradient g [B, 2H]: {∂/∂gates, ∂/∂c}. */
    default Tensor[] lstmCellBackward(Tensor gates, Tensor c, Tensor hc, Tensor g) {
        return RecurrentComposite.lstmCellBackward(this, gates, c, hc, g);
    }

    /**
     * The GRU cell from the input projection xg [B, 3H] (x·W_ihᵀ + b_ih), the hidden projection hg [B, 3H]
     * (h·W_hhᵀ + b_hh), gates r, z, n, and h [B, H]: r = σ(x_r + h_r), z = σ(x_z + h_z),
     * n = tanh(x_n + r·h_n), h' = (1 − z)·n + z·h, [B, H].
     */
    default Tensor gruCell(Tensor xg, Tensor hg, Tensor h) {
        return RecurrentComposite.gruCell(this, xg, hg, h);
    }

    /** The vector-Jacobian product of {@link #gruCell} given the gradient g [B, H] of h': {∂/∂xg, ∂/∂hg, ∂/∂h}. */
    default Tensor[] gruCellBackward(Tensor xg, Tensor hg, Tensor h, Tensor g) {
        return RecurrentComposite.gruCellBackward(this, xg, hg, h, g);
    }

    /**
     * Runs a recurrent cell over a sequence: for each step t (T − 1 down to 0 when {@code reverse}),
     * hg = h·W_hhᵀ + b_hh and the {@code mode}'s cell on (xg[t], hg, state). xg is [T, B, G·H] (the input
     * projection x·W_ihᵀ + b_ih of every step, computed beforehand in one product), wHh [G·H, H], bHh [G·H],
     * h0 and c0 [B, H] (c0 only for the LSTM, else null). With {@code lengths} (B values in 1..T, or null
     * for all T), steps at or past a sequence's length leave its state alone and output zero, so a
     * reversed sequence starts at its own last step. See {@link RecurrentStates} for the result.
     */
    default RecurrentStates recurrence(RecurrentMode mode, Tensor xg, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0,
                                       int[] lengths, boolean reverse) {
        return RecurrentComposite.recurrence(this, mode, xg, wHh, bHh, h0, c0, lengths, reverse);
    }

    /**
     * The vector-Jacobian product of {@link #recurrence} given g, the gradient of its states [S, T+1, B, H],
     * its states and saved activations: {∂/∂xg, ∂/∂wHh, ∂/∂bHh, ∂/∂h0, ∂/∂c0 (null unless LSTM)}.
     */
    default Tensor[] recurrenceBackward(RecurrentMode mode, Tensor g, Tensor wHh, Tensor h0, Tensor c0, Tensor states,
                                        Tensor saved, int[] lengths, boolean reverse) {
        return RecurrentComposite.recurrenceBackward(this, mode, g, wHh, h0, c0, states, saved, lengths, reverse);
    }
}
