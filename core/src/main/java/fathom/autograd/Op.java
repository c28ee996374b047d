package fathom.autograd;

import fathom.DType;
import fathom.Shape;
import fathom.backend.BinaryOp;
import fathom.backend.ConvGeometry;
import fathom.backend.PoolAxis;
import fathom.backend.UnaryOp;

/**
 * The ops autograd records, one record per primitive (and per fused op that has its own kernel),
 * holding the arguments its derivative needs. The set is sealed: {@link Derivatives#vjp} switches over
 * it without a default, so the compiler refuses a primitive without a gradient.
 */
public sealed interface Op {
    /** An element-wise function of one tensor. */
    record Unary(UnaryOp fn) implements Op {}

    /**
     * The exact GELU, recorded with its derivative at each element (computed in the forward from the same
     * exponential as the output, see {@link fathom.backend.Backend#geluWithDerivative}), so the backward is
     * one multiply: in the GPT benchmark the recomputing backward took 1.7 ms per [2048, 512] call, about 5 %
     * of the step.
     */
    record Gelu(fathom.Tensor derivative) implements Op {}

    /** An element-wise function of two broadcast tensors. */
    record Binary(BinaryOp fn) implements Op {}

    /** {@code cond ? a : b}; inputs (cond, a, b). */
    record Where() implements Op {}

    /** Sum over {@code dims}, kept as size 1. */
    record Sum(int[] dims) implements Op {}

    /** Maximum over {@code dims}, kept as size 1; ties share the gradient. */
    record Amax(int[] dims) implements Op {}

    /** Product along {@code dim}, kept as size 1. */
    record Prod(int dim) implements Op {}

    /** Running sum along {@code dim}. */
    record Cumsum(int dim) implements Op {}

    /** Matrix product of two 2-d or two 3-d tensors. */
    record MatMul() implements Op {}

    /** {@code x·Wᵀ (+ b)}, PyTorch's {@code F.linear} on a 2-d x; inputs (x [M, K], weight [N, K]) or (x, weight, bias [N]). */
    record Linear() implements Op {}

    /**
     * The exact GELU of {@link Linear}, with the GELU's derivative at each element saved as {@link Gelu} saves it:
     * inputs as {@link Linear}'s. One node for a transformer's feed-forward input layer, so the backend can apply the
     * GELU to each block of the product while it is in cache, and the product is never a tensor of its own.
     */
    record LinearGelu(fathom.Tensor derivative) implements Op {}

    /**
     * {@code residual + x·Wᵀ (+ b)}, a residual connection around a linear layer; inputs (residual [M, N], x [M, K],
     * weight [N, K]) or those and bias [N]. One node, so the backend adds the residual to each block of the product
     * while it is in cache, and the product is never a tensor of its own.
     */
    record AddLinear() implements Op {}

    /** Gather along {@code dim}; inputs (x, index). */
    record Gather(int dim) implements Op {}

    /** Scatter (or scatter-add) along {@code dim}; inputs (x, index, src). */
    record Scatter(int dim, boolean accumulate) implements Op {}

    /** The same elements in another shape (also squeeze, unsqueeze, flatten). */
    record Reshape(Shape from) implements Op {}

    /** Dimensions reordered: result dimension i is input dimension {@code perm[i]}. */
    record Permute(int[] perm) implements Op {}

    /** Size-1 dimensions broadcast (stride 0) to a larger shape. */
    record Expand(Shape from) implements Op {}

    /** Elements start, start + step, ... along {@code dim} of an input of shape {@code from}. */
    record Slice(Shape from, int dim, int start, int step) implements Op {}

    /** Elements reversed along {@code dims}. */
    record Flip(int[] dims) implements Op {}

    /** Inputs joined along {@code dim}; input i contributed {@code sizes[i]} entries. */
    record Cat(int dim, int[] sizes) implements Op {}

    /** A copy converted from dtype {@code from}. */
    record Cast(DType from) implements Op {}

    /** A contiguous copy. */
    record Copy() implements Op {}

    /** Softmax along {@code dim} (fused; the backward reads the output). */
    record Softmax(int dim) implements Op {}

    /** Log-softmax along {@code dim} (fused; the backward reads the output). */
    record LogSoftmax(int dim) implements Op {}

    /** 2-d convolution of x [N, C, H, W] with weight [O, C/groups, kH, kW]; inputs (x, weight) or (x, weight, bias [O]). */
    record Conv2d(ConvGeometry geometry) implements Op {}

    /**
     * Transposed 2-d convolution of x [N, C, H, W] with weight [C, O/groups, kH, kW] (the conv2d it
     * transposes has {@code geometry}); {@code outputPadding} extra rows and columns at the bottom and
     * right; inputs (x, weight) or (x, weight, bias [O]).
     */
    record ConvTranspose2d(ConvGeometry geometry, int outputPaddingH, int outputPaddingW) implements Op {}

    /**
     * Fused scaled dot-product attention; inputs (q, k, v). The backward reads them, the output and the
     * saved per-row {@code logSumExp}, and recomputes the probabilities; masks get no gradient.
     */
    record ScaledDotProductAttention(fathom.backend.AttentionConfig config, fathom.Tensor logSumExp) implements Op {}

    /**
     * {@link ScaledDotProductAttention} of q, k and v packed in one input [B, T, 3·E], split into {@code heads} heads,
     * with the heads of the output merged: [B, T, E]. The backward writes the three gradients into one [B, T, 3·E].
     */
    record PackedAttention(fathom.backend.AttentionConfig config, fathom.Tensor logSumExp, int heads) implements Op {}

    /**
     * Fused layer normalization over the last {@code normalizedDims} dimensions; inputs (x), or (x, weight, bias)
     * when {@code affine}; the backward reads x, weight and the saved mean and rstd.
     */
    record LayerNorm(int normalizedDims, boolean affine, fathom.Tensor mean, fathom.Tensor rstd) implements Op {}

    /**
     * Max pooling (1-d, 2-d or adaptive) of an input of shape {@code from} [N, C, H, W]; inputs (x,
     * indices), the int64 indices flat within each [H, W] plane, so the gradient goes to the maxima.
     */
    record MaxPool(Shape from) implements Op {}

    /** Average pooling (plain or adaptive) of an input of shape {@code from} [N, C, H, W]: window sums over h × w, each divided by its divisor. */
    record AvgPool(Shape from, PoolAxis h, PoolAxis w, double[] divisor) implements Op {}

    /**
     * Batch normalization of x [N, C, *] per channel; inputs (x, mean, invStd) or (x, mean, invStd,
     * weight, bias). With {@code batchStats} mean and invStd were computed from x (training), so the
     * gradient flows through them too; otherwise (running statistics) they are constants.
     */
    record BatchNorm(boolean batchStats) implements Op {}

    /** The fused LSTM cell; inputs (pre-activation gates [B, 4H], c [B, H]), output [B, 2H] = (h', c'). */
    record LstmCell() implements Op {}

    /** The fused GRU cell; inputs (xg [B, 3H], hg [B, 3H], h [B, H]), output h' [B, H]. */
    record GruCell() implements Op {}

    /**
     * A recurrent cell run over a whole sequence (see {@link fathom.backend.Backend#recurrence}); inputs
     * (xg, wHh, bHh, h0, [c0 for the LSTM,] saved activations), output the states [S, T+1, B, H].
     * {@code lengths} is null when every sequence has all T steps.
     */
    record Recurrence(fathom.backend.RecurrentMode mode, int[] lengths, boolean reverse) implements Op {}
}
