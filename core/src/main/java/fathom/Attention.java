package fathom;

import fathom.autograd.Op;
import fathom.backend.AttentionComposite;
import fathom.backend.AttentionConfig;
import fathom.backend.AttentionResult;
import fathom.backend.Backends;

/**
 * Scaled dot-product attention, {@code softmax(Q·Kᵀ·scale + mask)·V} (PyTorch 2's
 * {@code F.scaled_dot_product_attention}): q [B, H, Tq, D], k [B, H, Tk, D], v [B, H, Tk, Dv] give
 * [B, H, Tq, Dv]; scale defaults to 1/√D.
 *
 * <p>{@link #scaledDotProduct} runs the backend's fused kernel (on the CPU backend: tiled, online softmax,
 * threaded over B·H, keeping only the log-sum-exp of each query row for the backward, which recomputes
 * the scores); {@link #scaledDotProductComposite} is the same function composed of matmul and softmax,
 * and returns the same values and gradients (tested).
 *
 * <p>Masks, as PyTorch's SDPA: a bool {@code attnMask} is true where a query may attend; a float one is
 * added to the scores; either broadcasts to [B, H, Tq, Tk]. {@code keyPaddingMask} [B, Tk] (bool) is true
 * at padding keys, as in {@code nn.MultiheadAttention}. Causal masking comes in PyTorch's two variants
 * ({@link Causal}). Masks receive no gradient from the fused kernel (a float mask that requires grad
 * takes the composite path, which gives it one). Deviation, as PyTorch ≥ 2.5 does and not as 1.13
 * does: a query row with no key left gives 0, not NaN. Dropout on the probabilities draws its mask from
 * the explicit {@link Rng} (one {@code nextLong} per call; see {@link AttentionConfig}).
 */
public final class Attention {
    /** Where the causal mask's diagonal sits when Tq ≠ Tk (PyTorch's {@code CausalVariant}). */
    public enum Causal {
        /** No causal mask. */
        NONE,
        /** Query i sees keys j ≤ i: PyTorch's {@code is_causal=True} (upper-left aligned). */
        UPPER_LEFT,
        /**
         * Query i sees keys j ≤ i + Tk − Tq: the last query sees every key, as a KV cache needs (the query at
         * position p of the sequence sees keys 0..p); PyTorch's {@code causal_lower_right}. Equal to
         * {@link #UPPER_LEFT} when Tq = Tk.
         */
        LOWER_RIGHT
    }

    /**
     * Everything besides q, k and v; null masks and a null scale (1/√D) are the defaults.
     *
     * @param attnMask bool (true = attend) or float (added), broadcast to [B, H, Tq, Tk]
     * @param keyPaddingMask bool [B, Tk], true at keys to ignore
     * @param dropoutP probability of dropping an attention probability, in [0, 1]
     */
    public record Options(Tensor attnMask, Tensor keyPaddingMask, Causal causal, double dropoutP, Double scale) {
        /** No mask, no dropout, scale 1/√D. */
        public static final Options NONE = new Options(null, null, Causal.NONE, 0, null);

        public Options {
            if (causal == null) {
                throw new IllegalArgumentException("causal must be NONE, UPPER_LEFT or LOWER_RIGHT, not null");
            }
            if (!(dropoutP >= 0 && dropoutP <= 1)) {
                throw new IllegalArgumentException("dropoutP must be in [0, 1], got " + dropoutP);
            }
        }

        /** Only a causal mask of the given variant. */
        public static Options causal(Causal variant) {
            return new Options(null, null, variant, 0, null);
        }
    }

    private Attention() {}

    /** softmax(Q·Kᵀ/√D)·V without masks or dropout. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v) {
        return scaledDotProduct(q, k, v, Options.NONE, null);
    }

    /** PyTorch's {@code scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)}; rng may be null when dropoutP is 0. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP, boolean isCausal, Rng rng) {
        return scaledDotProduct(q, k, v, new Options(attnMask, null, isCausal ? Causal.UPPER_LEFT : Causal.NONE, dropoutP, null), rng);
    }

    /** The fused op; rng (for dropout) may be null when {@code options.dropoutP()} is 0. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Options options, Rng rng) {
        AttentionConfig c = config(q, k, v, options, rng);
        if (c.attnMask() != null && c.attnMask().requiresGrad()) {
            return AttentionComposite.output(q, k, v, c);
        }
        AttentionResult r = Backends.current().attention(q, k, v, c);
        return Autograd.record(new Op.ScaledDotProductAttention(c, r.logSumExp()), r.output(), q, k, v);
    }

    /**
     * Self-attention over q, k and v packed side by side in the last dimension of one [B, T, 3·E] tensor, as a
     * single projection makes them (PyTorch's {@code in_proj_weight}, GPT-2's {@code c_attn}): each split into
     * {@code heads} heads of E/heads ({@link #splitHeads}), attended as {@link #scaledDotProduct} does, and the heads
     * merged back: [B, T, E]. The same numbers as those three calls, but one autograd node whose backward writes the
     * gradients of q, k and v side by side into one [B, T, 3·E] tensor, so the projection's backward is one product
     * instead of three, without three zero-filled [B, T, 3·E] gradients of the split's views and their sum.
     */
    public static Tensor scaledDotProductPacked(Tensor qkv, int heads, Options options, Rng rng) {
        Tensor[] p = splitHeads(qkv.detach(), heads);
        AttentionConfig c = config(p[0], p[1], p[2], options, rng);
        int b = qkv.size(0);
        int t = qkv.size(1);
        int e = qkv.size(2) / 3;
        if (c.attnMask() != null && c.attnMask().requiresGrad()) {
            Tensor[] recorded = splitHeads(qkv, heads);
            return AttentionComposite.output(recorded[0], recorded[1], recorded[2], c).transpose(1, 2).reshape(b, t, e);
        }
        AttentionResult r = Backends.current().attention(p[0], p[1], p[2], c);
        return Autograd.record(new Op.PackedAttention(c, r.logSumExp(), heads), r.output().transpose(1, 2).reshape(b, t, e), qkv);
    }

    /**
     * q, k and v of a packed [B, T, 3·E] tensor as [B, H, T, E/H] views (no copy): q is {@code qkv[..., 0:E]} split
     * into heads, k the next E, v the last.
     */
    public static Tensor[] splitHeads(Tensor qkv, int heads) {
        if (qkv.dim() != 3 || qkv.size(2) % 3 != 0 || heads <= 0 || qkv.size(2) / 3 % heads != 0) {
            throw new ShapeException("packed attention expects qkv [B, T, 3·E] with E divisible by heads " + heads + ", got " + qkv.shape());
        }
        int b = qkv.size(0);
        int t = qkv.size(1);
        int e = qkv.size(2) / 3;
        Tensor[] parts = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            parts[i] = qkv.narrow(2, i * e, e).reshape(b, t, heads, e / heads).transpose(1, 2);
        }
        return parts;
    }

    /** The same function as {@link #scaledDotProduct} composed of matmul and softmax, each op recorded for autograd. */
    public static Tensor scaledDotProductComposite(Tensor q, Tensor k, Tensor v, Options options, Rng rng) {
        return AttentionComposite.output(q, k, v, config(q, k, v, options, rng));
    }

    /**
     * The attention probabilities softmax(Q·Kᵀ·scale + mask) after dropout, [B, H, Tq, Tk] (composite; what
     * {@code nn.MultiheadAttention} returns as weights); {@code weights.matmul(v)} is the attention output.
     */
    public static Tensor weights(Tensor q, Tensor k, Options options, Rng rng) {
        return AttentionComposite.probabilities(q, k, config(q, k, k, options, rng));
    }

    /** Checks shapes and dtypes and resolves the defaults; draws the dropout seed from rng. */
    private static AttentionConfig config(Tensor q, Tensor k, Tensor v, Options o, Rng rng) {
        if (q.dim() != 4 || k.dim() != 4 || v.dim() != 4) {
            throw new ShapeException("attention expects q, k, v of rank 4 [B, H, T, D], got " + q.shape() + ", " + k.shape() + ", " + v.shape());
        }
        if (q.size(0) != k.size(0) || q.size(1) != k.size(1) || !sameBatchAndLength(k, v) || q.size(3) != k.size(3)) {
            throw new ShapeException("attention expects q [B, H, Tq, D], k [B, H, Tk, D], v [B, H, Tk, Dv], got "
                    + q.shape() + ", " + k.shape() + ", " + v.shape());
        }
        if (k.size(2) == 0) {
            throw new ShapeException("attention needs at least one key, got k " + k.shape());
        }
        DType t = q.dtype();
        if (!t.isFloating() || k.dtype() != t || v.dtype() != t) {
            throw new DTypeException("attention expects q, k, v of one floating dtype, got " + q.dtype() + ", " + k.dtype() + ", " + v.dtype());
        }
        int b = q.size(0);
        int h = q.size(1);
        int tq = q.size(2);
        int tk = k.size(2);
        Shape scores = Shape.of(b, h, tq, tk);
        Tensor mask = o.attnMask();
        if (mask != null) {
            if (mask.dim() > 4 || !Shape.broadcast("attention mask", mask.shape(), scores).equals(scores)) {
                throw new ShapeException("attention: attnMask " + mask.shape() + " does not broadcast to the scores " + scores);
            }
            if (mask.dtype().isFloating()) {
                mask = mask.to(t);
            } else if (mask.dtype() != DType.BOOL) {
                throw new DTypeException("attention: attnMask must be bool or floating, got " + mask.dtype());
            }
        }
        Tensor pad = o.keyPaddingMask();
        if (pad != null) {
            if (pad.dtype() != DType.BOOL) {
                throw new DTypeException("attention: keyPaddingMask must be bool (true = ignore the key), got " + pad.dtype());
            }
            if (!pad.shape().equals(Shape.of(b, tk))) {
                throw new ShapeException("attention: keyPaddingMask must be [B, Tk] = [" + b + ", " + tk + "], got " + pad.shape());
            }
        }
        if (o.dropoutP() > 0 && rng == null) {
            throw new IllegalArgumentException("attention: dropoutP " + o.dropoutP() + " needs an rng, got null");
        }
        double scale = o.scale() != null ? o.scale() : 1 / Math.sqrt(q.size(3));
        long seed = o.dropoutP() > 0 ? rng.nextLong() : 0;
        int offset = o.causal() == Causal.LOWER_RIGHT ? tk - tq : 0;
        return new AttentionConfig(mask, pad, o.causal() != Causal.NONE, offset, scale, o.dropoutP(), seed);
    }

    private static boolean sameBatchAndLength(Tensor k, Tensor v) {
        return k.size(0) == v.size(0) && k.size(1) == v.size(1) && k.size(2) == v.size(2);
    }
}
