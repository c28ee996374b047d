package fathom.backend;

import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;

/**
 * Scaled dot-product attention composed of tensor ops, {@code softmax(Q·Kᵀ·scale + mask)·V}: the
 * reference every fused kernel is tested against, and {@link Backend}'s default. Shapes: q
 * [B, H, Tq, D], k [B, H, Tk, D], v [B, H, Tk, Dv]; see {@link AttentionConfig} for the masks and dropout.
 *
 * <p>Called on inputs that require grad, {@link #probabilities} and {@link #output} record every op,
 * so autograd differentiates them; {@link #forward} and {@link #backward} are the backend default
 * (detached inputs, explicit gradient formulas that recompute the probabilities from the saved log-sum-exp).
 */
public final class AttentionComposite {
    private AttentionComposite() {}

    /** Q·Kᵀ·scale plus the float mask, with −∞ wherever {@code config} forbids a key: [B, H, Tq, Tk]. */
    public static Tensor scores(Tensor q, Tensor k, AttentionConfig c) {
        int tq = q.size(2);
        int tk = k.size(2);
        Tensor s = q.matmul(k.mT()).mul(c.scale());
        Tensor mask = c.attnMask();
        if (mask != null && mask.dtype().isFloating()) {
            s = s.add(mask);
        } else if (mask != null) {
            s = s.maskedFill(mask.logicalNot(), Double.NEGATIVE_INFINITY);
        }
        if (c.causal()) {
            boolean[] above = new boolean[tq * tk];
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tk; j++) {
                    above[i * tk + j] = j > i + c.causalOffset();
                }
            }
            s = s.maskedFill(Tensors.of(above, tq, tk), Double.NEGATIVE_INFINITY);
        }
        Tensor pad = c.keyPaddingMask();
        if (pad != null) {
            s = s.maskedFill(pad.reshape(pad.size(0), 1, 1, tk), Double.NEGATIVE_INFINITY); // [B, 1, 1, Tk]
        }
        return s;
    }

    /** 0 or 1/(1 − p) per score, as {@link AttentionConfig#keeps} decides: [B, H, Tq, Tk] in {@code dtype}; null without dropout. */
    public static Tensor dropoutMask(AttentionConfig c, int b, int h, int tq, int tk, DType dtype) {
        if (!c.dropout()) {
            return null;
        }
        double scale = c.dropoutScale();
        double[] m = new double[b * h * tq * tk];
        for (int i = 0; i < m.length; i++) {
            m[i] = c.keeps(i) ? scale : 0;
        }
        return Tensors.of(m, b, h, tq, tk).to(dtype);
    }

    /** softmax of {@link #scores} along the keys (0 for a row with no key left), after dropout: [B, H, Tq, Tk]. */
    public static Tensor probabilities(Tensor q, Tensor k, AttentionConfig c) {
        Tensor s = scores(q, k, c);
        Tensor dead = s.detach().amax(new int[] {-1}, true).eq(Double.NEGATIVE_INFINITY);
        Tensor p = s.maskedFill(dead, 0).softmax(-1).maskedFill(dead, 0);
        Tensor z = dropoutMask(c, q.size(0), q.size(1), q.size(2), k.size(2), q.dtype());
        return z == null ? p : p.mul(z);
    }

    /** {@link #probabilities}·V: [B, H, Tq, Dv]. */
    public static Tensor output(Tensor q, Tensor k, Tensor v, AttentionConfig c) {
        return probabilities(q, k, c).matmul(v);
    }

    /** The output and the log-sum-exp of the scores per query row, without recording gradients. */
    public static AttentionResult forward(Tensor q, Tensor k, Tensor v, AttentionConfig c) {
        q = q.detach();
        k = k.detach();
        Tensor out = output(q, k, v.detach(), c);
        Tensor lse = scores(q, k, c).logSumExp(new int[] {-1}, false);
        return new AttentionResult(out, lse);
    }

    /**
     * Gradients {dq, dk, dv} from the gradient {@code g} of the output: with P recomputed as
     * exp(S − lse), A = P·Z (Z the dropout mask), dV = Aᵀ·g, dS = P ⊙ (Z ⊙ (g·Vᵀ) − rowsum(g ⊙ out)),
     * dQ = dS·K·scale, dK = dSᵀ·Q·scale. The row sum equals Σ_j P_ij·dP_ij because out = A·V.
     */
    public static Tensor[] backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor g, AttentionConfig c) {
        q = q.detach();
        k = k.detach();
        v = v.detach();
        Tensor rowLse = lse.detach().unsqueeze(-1);
        rowLse = Tensor.where(rowLse.isFinite(), rowLse, Tensors.scalar(0, rowLse.dtype()));
        Tensor p = scores(q, k, c).sub(rowLse).exp();
        Tensor z = dropoutMask(c, q.size(0), q.size(1), q.size(2), k.size(2), q.dtype());
        Tensor a = z == null ? p : p.mul(z);
        Tensor dv = a.mT().matmul(g);
        Tensor dp = g.matmul(v.mT());
        if (z != null) {
            dp = dp.mul(z);
        }
        Tensor rowDot = g.mul(out.detach()).sum(new int[] {-1}, true);
        Tensor ds = p.mul(dp.sub(rowDot));
        Tensor dq = ds.matmul(k).mul(c.scale());
        Tensor dk = ds.mT().matmul(q).mul(c.scale());
        return new Tensor[] {dq, dk, dv};
    }
}
