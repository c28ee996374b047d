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

    /**
     * {@code a += alpha·b} in place, b broadcast to a's shape (PyTorch's {@code add_(b, alpha=alpha)}); a
     * and b share a floating dtype. The default multiplies first; a backend may do it in one pass without a
     * temporary, with the multiply-add fused (one rounding, as PyTorch's vectorized CPU kernel).
     */
    default void addScaledInPlace(Tensor a, Tensor b, double alpha) {
        binaryInPlace(BinaryOp.ADD, a, binary(BinaryOp.MUL, b, Tensors.scalar(alpha, b.dtype())));
    }

    /**
     * One SGD momentum step in place, as PyTorch's {@code SGD} after its first step (without Nesterov):
     * {@code buf = momentum·buf + (1 − dampening)·d}, then {@code p += −lr·buf}. p, buf and d share a shape
     * and a floating dtype. The default composes the in-place primitives; a backend may make it one pass
     * with the same roundings.
     */
    default void sgdMomentumStep(Tensor p, Tensor buf, Tensor d, double momentum, double dampening, double lr) {
        binaryInPlace(BinaryOp.MUL, buf, Tensors.scalar(momentum, buf.dtype()));
        addScaledOrAdd(buf, d, 1 - dampening);
        addScaledOrAdd(p, buf, -lr);
    }

    /**
     * One Adam step in place, in the order of operations of PyTorch's {@code Adam} (without AMSGrad):
     * {@code m = β₁·m + (1 − β₁)·g}, {@code v = β₂·v + (1 − β₂)·g·g}, then
     * {@code p += (−stepSize·m) / (√v / √biasCorrection2 + ε)}. p, g, m and v share a shape and a floating
     * dtype. The default composes primitives with two temporaries; a backend may make it one pass with
     * the same roundings.
     */
    default void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double eps,
                          double stepSize, double biasCorrection2) {
        DType t = p.dtype();
        binaryInPlace(BinaryOp.MUL, m, Tensors.scalar(beta1, t));
        addScaledOrAdd(m, g, 1 - beta1);
        // (1 − β₂)·g·g in PyTorch's addcmul order, in one temporary that later holds the step
        Tensor tmp = binary(BinaryOp.MUL, g, Tensors.scalar(1 - beta2, t));
        binaryInPlace(BinaryOp.MUL, tmp, g);
        binaryInPlace(BinaryOp.MUL, v, Tensors.scalar(beta2, t));
        binaryInPlace(BinaryOp.ADD, v, tmp);
        Tensor denom = unary(UnaryOp.SQRT, v);
        binaryInPlace(BinaryOp.DIV, denom, Tensors.scalar(Math.sqrt(biasCorrection2), t));
        binaryInPlace(BinaryOp.ADD, denom, Tensors.scalar(eps, t));
        copyInto(tmp, m);
        binaryInPlace(BinaryOp.MUL, tmp, Tensors.scalar(-stepSize, t));
        binaryInPlace(BinaryOp.DIV, tmp, denom);
        binaryInPlace(BinaryOp.ADD, p, tmp);
    }

    /** {@code a += alpha·b}, as a plain addition when alpha is 1 (as {@code Tensor.addInPlace(b, alpha)} does). */
    private void addScaledOrAdd(Tensor a, Tensor b, double alpha) {
        if (alpha == 1) {
            binaryInPlace(BinaryOp.ADD, a, b);
        } else {
            addScaledInPlace(a, b, alpha);
        }
    }

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

    /**
     * out = a·b, or out += a·b when {@code accumulate}, for 2-d a [M, K], b [K, N] and out [M, N], all one dtype;
     * without accumulating, out's old values are never read. The default copies or adds a product.
     */
    default void matmulInto(Tensor out, Tensor a, Tensor b, boolean accumulate) {
        Tensor product = matmul(a, b);
        if (accumulate) {
            binaryInPlace(BinaryOp.ADD, out, product);
        } else {
            copyInto(out, product);
        }
    }

    /**
     * {@code x·Wᵀ + b} for x [M, K], weight [N, K] and bias [N] or null, all one dtype (PyTorch's {@code F.linear}).
     * The default is a matmul then an add; a backend may start the product from the bias instead of zeros.
     */
    default Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Tensor y = matmul(x, weight.mT());
        return bias == null ? y : binary(BinaryOp.ADD, y, bias);
    }

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

    /**
     * Scaled dot-product attention {@code softmax(Q·Kᵀ·scale + mask)·V} with q [B, H, Tq, D], k [B, H, Tk, D],
     * v [B, H, Tk, Dv] of one floating dtype (any strides), masks and dropout as {@code config} says: the
     * output [B, H, Tq, Dv] and the log-sum-exp [B, H, Tq] of each query's scores, all the backward keeps.
     * The default is the composite of matmul and softmax ({@link AttentionComposite}).
     */
    default AttentionResult attention(Tensor q, Tensor k, Tensor v, AttentionConfig config) {
        return AttentionComposite.forward(q, k, v, config);
    }

    /**
     * The gradients of {@link #attention}'s q, k and v given its output, log-sum-exp and the output's gradient g,
     * written over {@code dq}, {@code dk} and {@code dv}: views of q's, k's and v's shapes with any strides, which may
     * lie side by side in one buffer (the packed attention's [B, T, 3·E] gradient). The default computes them with
     * {@link AttentionComposite} and copies them in.
     */
    default void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor output, Tensor logSumExp, Tensor g, AttentionConfig config,
                                   Tensor dq, Tensor dk, Tensor dv) {
        Tensor[] grads = AttentionComposite.backward(q, k, v, output, logSumExp, g, config);
        copyInto(dq, grads[0]);
        copyInto(dk, grads[1]);
        copyInto(dv, grads[2]);
    }

    /**
     * y = (x − mean)·rstd·weight + bias over the last {@code normalizedDims} dimensions, rstd = 1/√(biased var + eps);
     * weight and bias (of the normalized shape) may be null. The default composes reductions and element-wise ops.
     */
    default NormResult layerNorm(Tensor x, Tensor weight, Tensor bias, int normalizedDims, double eps) {
        x = x.detach();
        int[] dims = trailing(x.dim(), normalizedDims);
        Tensor mean = x.mean(dims, true);
        Tensor centered = x.sub(mean);
        Tensor rstd = centered.square().mean(dims, true).add(eps).rsqrt();
        Tensor y = centered.mul(rstd);
        if (weight != null) {
            y = y.mul(weight.detach());
        }
        if (bias != null) {
            y = y.add(bias.detach());
        }
        return new NormResult(y, mean, rstd);
    }

    /**
     * The gradients {dx, dweight, dbias} of {@link #layerNorm} given its saved statistics and the output's
     * gradient g: with x̂ = (x − mean)·rstd and ĝ = g·weight, dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),
     * dweight = Σ g·x̂ and dbias = Σ g over the leading dimensions (both null when {@code affineGrads} is false).
     */
    default Tensor[] layerNormBackward(Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor g, int normalizedDims,
                                       boolean affineGrads) {
        int[] dims = trailing(x.dim(), normalizedDims);
        Tensor xhat = x.detach().sub(mean).mul(rstd);
        Tensor gw = weight == null ? g : g.mul(weight.detach());
        Tensor dx = gw.sub(gw.mean(dims, true)).sub(xhat.mul(gw.mul(xhat).mean(dims, true))).mul(rstd);
        if (!affineGrads) {
            return new Tensor[] {dx, null, null};
        }
        int[] lead = new int[x.dim() - normalizedDims];
        for (int i = 0; i < lead.length; i++) {
            lead[i] = i;
        }
        Tensor dw = lead.length == 0 ? g.mul(xhat) : g.mul(xhat).sum(lead, false);
        Tensor db = lead.length == 0 ? g : g.sum(lead, false);
        return new Tensor[] {dx, dw, db};
    }

    /**
     * The vector-Jacobian product of ReLU: 0 where {@code x ≤ 0}, else g. As PyTorch's {@code threshold_backward},
     * a NaN x passes g on (NaN ≤ 0 is false).
     */
    default Tensor reluBackward(Tensor x, Tensor g) {
        return Tensor.where(x.le(Tensors.scalar(0, x.dtype())), Tensors.scalar(0, g.dtype()), g);
    }

    /**
     * The exact GELU x·Φ(x) and its derivative Φ(x) + x·φ(x), φ the standard normal density: what autograd
     * records when x needs a gradient, so that the backward multiplies by the saved derivative instead of
     * computing Φ and φ a second time (the float32 kernel gets both from one exponential).
     */
    default ActivationResult geluWithDerivative(Tensor x) {
        x = x.detach();
        Tensor cdf = x.mul(Math.sqrt(0.5)).erf().add(1).mul(0.5);
        Tensor pdf = x.square().mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
        return new ActivationResult(unary(UnaryOp.GELU, x), cdf.add(x.mul(pdf)));
    }

    /**
     * {@link #geluWithDerivative} of {@link #linear}{@code (x, weight, bias)}, without the product as a tensor of its own:
     * what autograd records for a linear layer followed by the exact GELU (a transformer's feed-forward). A backend
     * may apply the GELU to each block of the product while it is still in cache; the numbers are those of the two calls.
     */
    default ActivationResult linearGeluWithDerivative(Tensor x, Tensor weight, Tensor bias) {
        return geluWithDerivative(linear(x, weight, bias));
    }

    /**
     * {@code residual + }{@link #linear}{@code (x, weight, bias)} for residual [M, N] of the product's shape and dtype: a
     * residual connection around a linear layer. A backend may add the residual to each block of the product while it
     * is still in cache; the numbers are those of the two calls.
     */
    default Tensor addLinear(Tensor residual, Tensor x, Tensor weight, Tensor bias) {
        return binary(BinaryOp.ADD, residual, linear(x, weight, bias));
    }

    /**
     * {@link #reluBackward} written over g, which the caller owns (autograd, for a gradient no other tensor
     * shares): no new array, whose memory the JVM would zero and the kernel then write, both past the cache.
     */
    default Tensor reluBackwardInPlace(Tensor x, Tensor g) {
        return g.copyInPlace(reluBackward(x, g));
    }

    private static int[] trailing(int rank, int count) {
        int[] dims = new int[count];
        for (int i = 0; i < count; i++) {
            dims[i] = rank - count + i;
        }
        return dims;
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
