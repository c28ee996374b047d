package fathom.nn;

import fathom.Attention;
import fathom.Attention.Causal;
import fathom.DType;
import fathom.Linalg;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;

/**
 * Multi-head attention, {@code concat_h(softmax(Q_h·K_hᵀ/√d + mask)·V_h)·W_oᵀ + b_o} with
 * {@code Q = query·W_qᵀ + b_q} (and likewise K, V), PyTorch's {@code nn.MultiheadAttention}: query
 * [L, N, E], key and value [S, N, E] ([N, L, E] and [N, S, E] with {@code batchFirst}, or [L, E] and
 * [S, E] unbatched) give [L, N, E] (or [N, L, E], [L, E]) and, when asked, weights [N, L, S] averaged
 * over heads or [N, H, L, S] per head.
 *
 * <p>Parameters as PyTorch names them: {@code in_proj_weight} [3E, E] (W_q, W_k, W_v stacked, Xavier
 * uniform), {@code in_proj_bias} [3E] (zeros) and {@code out_proj} (a {@link Linear}, its bias zeroed).
 * When keys or values have other widths ({@code kdim}, {@code vdim} ≠ E), the three projections are
 * separate, as there: {@code q_proj_weight} [E, E], {@code k_proj_weight} [E, kdim] and
 * {@code v_proj_weight} [E, vdim], each Xavier uniform, and no {@code in_proj_weight}.
 * Masks as PyTorch's: {@code attnMask} [L, S] or [N·H, L, S], bool (true = may NOT attend) or float
 * (added); {@code keyPaddingMask} [N, S], bool (true = ignore the key) or float (added). Dropout (p from
 * the constructor, training mode only) drops attention probabilities with the layer's own {@link Rng}.
 * Without weights the fused {@link Attention#scaledDotProduct} runs; with them the composite, as
 * PyTorch 1.13 does (the returned weights are after dropout, as there).
 *
 * <p>Not supported: {@code add_bias_kv}, {@code add_zero_attn}.
 * Deviation: a query whose every key is masked gets 0, not NaN.
 */
public final class MultiheadAttention extends Module {
    public final int embedDim;
    public final int numHeads;
    public final int headDim;
    public final double dropout;
    public final boolean batchFirst;
    /** Widths of the key and value inputs (E unless given). */
    public final int kdim;
    public final int vdim;
    /** [3E, E], or null when kdim or vdim differs from E. */
    public final Tensor inProjWeight;
    /** [E, E], [E, kdim] and [E, vdim] when kdim or vdim differs from E, else null. */
    public final Tensor qProjWeight;
    public final Tensor kProjWeight;
    public final Tensor vProjWeight;
    /** [3E], or null without bias. */
    public final Tensor inProjBias;
    public final Linear outProj;
    private final Rng rng;

    /** The attention output and, when asked for, the attention weights (else null). */
    public record Output(Tensor output, Tensor weights) {}

    /** No dropout, with biases, sequence-first, float32. */
    public MultiheadAttention(int embedDim, int numHeads, Rng rng) {
        this(embedDim, numHeads, 0.0, true, false, DType.FLOAT32, rng);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst, Rng rng) {
        this(embedDim, numHeads, dropout, bias, batchFirst, DType.FLOAT32, rng);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst, DType dtype, Rng rng) {
        this(embedDim, numHeads, dropout, bias, batchFirst, embedDim, embedDim, dtype, rng);
    }

    /** With keys of width {@code kdim} and values of width {@code vdim}, PyTorch's {@code kdim}/{@code vdim}. */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst, int kdim, int vdim, DType dtype,
                              Rng rng) {
        if (kdim <= 0 || vdim <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: kdim and vdim must be positive, got " + kdim + " and " + vdim);
        }
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim " + embedDim + " must be a positive multiple of numHeads " + numHeads);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.kdim = kdim;
        this.vdim = vdim;
        boolean packed = kdim == embedDim && vdim == embedDim;
        this.inProjWeight = packed ? parameter("in_proj_weight", Tensors.zeros(Shape.of(3 * embedDim, embedDim), dtype)) : null;
        this.qProjWeight = packed ? null : parameter("q_proj_weight", Tensors.zeros(Shape.of(embedDim, embedDim), dtype));
        this.kProjWeight = packed ? null : parameter("k_proj_weight", Tensors.zeros(Shape.of(embedDim, kdim), dtype));
        this.vProjWeight = packed ? null : parameter("v_proj_weight", Tensors.zeros(Shape.of(embedDim, vdim), dtype));
        this.inProjBias = bias ? parameter("in_proj_bias", Tensors.zeros(Shape.of(3 * embedDim), dtype)) : null;
        this.outProj = child("out_proj", new Linear(embedDim, embedDim, bias, dtype, rng));
        // PyTorch's _reset_parameters, after out_proj's own init
        if (packed) {
            Init.xavierUniform(inProjWeight, 1.0, rng);
        } else {
            Init.xavierUniform(qProjWeight, 1.0, rng);
            Init.xavierUniform(kProjWeight, 1.0, rng);
            Init.xavierUniform(vProjWeight, 1.0, rng);
        }
        if (bias) {
            Init.zeros(outProj.bias);
        }
        this.rng = generator("rng", rng.split());
    }

    /** Self-attention of x without masks; the output only. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, false, null, true, false).output();
    }

    /** PyTorch's defaults: no masks, weights averaged over heads. */
    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, true, null, true, false);
    }

    /**
     * PyTorch's {@code mha(query, key, value, ...)}: {@link #forward(Tensor, Tensor, Tensor, Tensor, boolean, Tensor, boolean,
     * boolean)}, then the forward hooks, which see the query as the input and the attention output as the output (a hook
     * takes one tensor of each, where PyTorch passes the tuples).
     */
    public Output call(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                       boolean averageAttnWeights, boolean isCausal) {
        Output out = forward(query, key, value, keyPaddingMask, needWeights, attnMask, averageAttnWeights, isCausal);
        hooked(query, out.output());
        return out;
    }

    /**
     * The full call, in PyTorch's argument order. With {@code isCausal} and no attnMask, query i attends
     * to keys j ≤ i (PyTorch treats is_causal only as a hint that attnMask is causal; here it is the mask).
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                          boolean averageAttnWeights, boolean isCausal) {
        boolean batched = query.dim() == 3;
        if (query.dim() != key.dim() || query.dim() != value.dim() || !batched && query.dim() != 2) {
            throw new ShapeException("MultiheadAttention: query, key and value must all be 3-d (batched) or 2-d (unbatched), got "
                    + query.shape() + ", " + key.shape() + ", " + value.shape());
        }
        Tensor q = batchMajor(query, batched);
        Tensor k = batchMajor(key, batched);
        Tensor v = batchMajor(value, batched);
        int n = q.size(0);
        int l = q.size(1);
        int s = k.size(1);
        if (q.size(2) != embedDim || k.size(2) != kdim || v.size(2) != vdim || v.size(1) != s || k.size(0) != n || v.size(0) != n) {
            throw new ShapeException("MultiheadAttention(" + embedDim + "): expected query [L, N, " + embedDim + "], key [S, N, " + kdim
                    + "] and value [S, N, " + vdim + "] (batch first: [N, L, E], [N, S, kdim], [N, S, vdim]), got " + query.shape() + ", "
                    + key.shape() + ", " + value.shape());
        }
        Attention.Options options = options(attnMask, keyPaddingMask, isCausal, batched, n, l, s, q.dtype());
        Tensor weights = null;
        Tensor merged; // [N, L, E], the heads' outputs side by side
        if (inProjWeight != null && query == key && key == value && !needWeights) {
            // self-attention: one product for q, k and v, and one node whose backward gathers their gradients in [N, L, 3E]
            merged = Attention.scaledDotProductPacked(Linalg.linear(q, inProjWeight, inProjBias), numHeads, options, rng);
        } else {
            Tensor[] qkv = project(q, k, v);
            Tensor qh = heads(qkv[0], n, l);
            Tensor kh = heads(qkv[1], n, s);
            Tensor vh = heads(qkv[2], n, s);
            Tensor out;
            if (needWeights) {
                weights = Attention.weights(qh, kh, options, rng);
                out = weights.matmul(vh);
            } else {
                out = Attention.scaledDotProduct(qh, kh, vh, options, rng);
            }
            merged = out.transpose(1, 2).reshape(n, l, embedDim);
        }
        Tensor out = outProj.call(merged);
        out = batched ? (batchFirst ? out : out.transpose(0, 1)) : out.squeeze(0);
        if (weights != null) {
            weights = averageAttnWeights ? weights.mean(1) : weights;
            weights = batched ? weights : weights.squeeze(0);
        }
        return new Output(out, weights);
    }

    /** [N, T, E]: a batch-first view of a batched input, or the unbatched one with a batch of 1. */
    private Tensor batchMajor(Tensor x, boolean batched) {
        return !batched ? x.unsqueeze(0) : batchFirst ? x : x.transpose(0, 1);
    }

    /**
     * The three projections of cross-attention (or of self-attention that returns its weights), each from its row
     * block of the packed weight, so that the three gradients meet in the [3E, E] weight's gradient.
     */
    private Tensor[] project(Tensor q, Tensor k, Tensor v) {
        int e = embedDim;
        if (inProjWeight == null) {
            return new Tensor[] {Linalg.linear(q, qProjWeight, biasPart(0)), Linalg.linear(k, kProjWeight, biasPart(1)),
                Linalg.linear(v, vProjWeight, biasPart(2))};
        }
        return new Tensor[] {
            Linalg.linear(q, inProjWeight.narrow(0, 0, e), biasPart(0)),
            Linalg.linear(k, inProjWeight.narrow(0, e, e), biasPart(1)),
            Linalg.linear(v, inProjWeight.narrow(0, 2 * e, e), biasPart(2))};
    }

    /** The q (0), k (1) or v (2) third of in_proj_bias, or null without bias. */
    private Tensor biasPart(int i) {
        return inProjBias == null ? null : inProjBias.narrow(0, i * embedDim, embedDim);
    }

    /** [N, T, E] → [N, H, T, D], a view. */
    private Tensor heads(Tensor x, int n, int t) {
        return x.reshape(n, t, numHeads, headDim).transpose(1, 2);
    }

    /** PyTorch's masks in the functional op's terms: bool masks inverted to "may attend", float masks merged. */
    private Attention.Options options(Tensor attnMask, Tensor keyPaddingMask, boolean isCausal, boolean batched, int n, int l, int s,
                                      DType dtype) {
        Tensor mask = null;
        if (attnMask != null) {
            boolean perHead = attnMask.dim() == 3;
            Shape want = perHead ? Shape.of(batched ? n * numHeads : numHeads, l, s) : Shape.of(l, s);
            if (attnMask.dim() != 2 && !perHead || !attnMask.shape().equals(want)) {
                throw new ShapeException("MultiheadAttention: attnMask must be [L, S] = [" + l + ", " + s + "] or [N·H, L, S] = " + Shape.of(
                        n * numHeads, l, s) + ", got " + attnMask.shape());
            }
            mask = perHead ? attnMask.reshape(n, numHeads, l, s) : attnMask;
            mask = mask.dtype() == DType.BOOL ? mask.logicalNot() : mask.to(dtype);
        }
        Tensor padding = null;
        if (keyPaddingMask != null) {
            Tensor kpm = batched ? keyPaddingMask : keyPaddingMask.unsqueeze(0);
            if (!kpm.shape().equals(Shape.of(n, s))) {
                throw new ShapeException("MultiheadAttention: keyPaddingMask must be [N, S] = [" + n + ", " + s + "], got " + keyPaddingMask.shape());
            }
            if (kpm.dtype() == DType.BOOL) {
                padding = kpm;
            } else {
                Tensor add = kpm.to(dtype).reshape(n, 1, 1, s);
                if (mask != null && mask.dtype() == DType.BOOL) {
                    mask = Tensors.zeros(mask.shape(), dtype).maskedFill(mask.logicalNot(), Double.NEGATIVE_INFINITY);
                }
                mask = mask == null ? add : mask.add(add);
            }
        }
        Causal causal = isCausal && attnMask == null ? Causal.UPPER_LEFT : Causal.NONE;
        return new Attention.Options(mask, padding, causal, isTraining() ? dropout : 0, null);
    }

    @Override
    public String toString() {
        return "MultiheadAttention(embed_dim=" + embedDim + ", num_heads=" + numHeads + ", dropout=" + dropout + ", batch_first=" + batchFirst
                + (inProjWeight == null ? ", kdim=" + kdim + ", vdim=" + vdim : "") + ")";
    }
}
