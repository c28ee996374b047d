package fathom.nn;

import fathom.DType;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import java.util.List;

/**
 * Rotary position embedding (RoPE, Su et al. 2021) for queries and keys: each pair of features
 * {@code (x_i, x_{i+D/2})} of the token at position t is rotated by the angle {@code t·θ_i},
 * {@code θ_i = base^(−2i/D)}, so that q·k depends on positions only through their difference.
 * x [..., T, D] (D even; usually [B, H, T, D]) gives the same shape.
 *
 * <p>The pairing is the "rotate half" one of GPT-NeoX and Hugging Face's LLaMA
 * ({@code x·cos + rotate_half(x)·sin}), not the interleaved (2i, 2i+1) one of GPT-J; the two differ by a
 * fixed permutation of the head features. The inverse frequencies are a non-persistent buffer
 * {@code inv_freq}, as in Hugging Face, so they are not in the state dict. Angles are computed in double.
 */
public final class RotaryEmbedding extends Module {
    public final int dim;
    public final double base;
    /** [D/2], θ_i. */
    public final Tensor invFreq;

    /** base 10000. */
    public RotaryEmbedding(int dim) {
        this(dim, 10000.0);
    }

    public RotaryEmbedding(int dim, double base) {
        if (dim <= 0 || dim % 2 != 0) {
            throw new IllegalArgumentException("RotaryEmbedding: dim must be positive and even, got " + dim);
        }
        if (!(base > 1)) {
            throw new IllegalArgumentException("RotaryEmbedding: base must be greater than 1, got " + base);
        }
        this.dim = dim;
        this.base = base;
        float[] f = new float[dim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) Math.pow(base, -2.0 * i / dim);
        }
        this.invFreq = buffer("inv_freq", Tensors.of(f), false);
    }

    /** Rotates positions 0..T−1. */
    @Override
    public Tensor forward(Tensor x) {
        return apply(x, 0);
    }

    /** Rotates the T positions {@code offset..offset+T−1} (a KV cache passes the number of tokens already cached). */
    public Tensor apply(Tensor x, int offset) {
        if (x.dim() < 2 || x.size(-1) != dim) {
            throw new ShapeException("RotaryEmbedding(" + dim + ") expects [..., T, " + dim + "], got " + x.shape());
        }
        int t = x.size(-2);
        int half = dim / 2;
        double[] cos = new double[t * half];
        double[] sin = new double[t * half];
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (double) (p + offset) * Math.pow(base, -2.0 * i / dim);
                cos[p * half + i] = Math.cos(angle);
                sin[p * half + i] = Math.sin(angle);
            }
        }
        DType dtype = x.dtype();
        Tensor c = Tensors.of(cos, t, half).to(dtype);
        Tensor s = Tensors.of(sin, t, half).to(dtype);
        Tensor x1 = x.narrow(-1, 0, half);
        Tensor x2 = x.narrow(-1, half, half);
        return Tensor.cat(List.of(x1.mul(c).sub(x2.mul(s)), x2.mul(c).add(x1.mul(s))), -1);
    }

    @Override
    public String toString() {
        return "RotaryEmbedding(dim=" + dim + ", base=" + base + ")";
    }
}
