package fathom.backend;

import fathom.Tensor;

/**
 * Which scores scaled dot-product attention keeps, its scale, and its dropout: query i of head (b, h)
 * may attend to key j when every condition holds: {@code !causal || j <= i + causalOffset};
 * {@code attnMask} is null, true (bool) or finite-or-not added (float) at {@code [b, h, i, j]} (broadcast
 * to {@code [B, H, Tq, Tk]}); {@code keyPaddingMask} ({@code [B, Tk]} bool, true = padding) is null or false at {@code [b, j]}.
 *
 * <p>Backends read this record; {@link fathom.Attention} builds it and checks shapes and dtypes first,
 * so a backend may assume a float mask has the dtype of q. A row of scores with no key left
 * (every score −∞) gives output 0 and log-sum-exp −∞ instead of NaN.
 *
 * <p>Dropout multiplies probability {@code p[b, h, i, j]} by {@code keep(index)/(1 − dropoutP)}, with
 * {@code index = ((b·H + h)·Tq + i)·Tk + j} and {@link #keeps} a counter-based hash of
 * {@code (dropoutSeed, index)}: forward, backward and every backend draw the same mask without storing it.
 *
 * @param causalOffset 0 for PyTorch's {@code is_causal} (upper-left aligned), {@code Tk − Tq} for lower-right
 *     alignment, where the last query sees every key (a KV cache)
 */
public record AttentionConfig(Tensor attnMask, Tensor keyPaddingMask, boolean causal, int causalOffset, double scale,
                              double dropoutP, long dropoutSeed) {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    /** Whether the probability at flat index {@code index} survives dropout (always, when dropoutP is 0). */
    public boolean keeps(long index) {
        if (dropoutP <= 0) {
            return true;
        }
        long z = dropoutSeed + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (z >>> 11) * DOUBLE_UNIT >= dropoutP;
    }

    /** 1/(1 − dropoutP), the factor kept probabilities are scaled by; 0 when everything is dropped. */
    public double dropoutScale() {
        return dropoutP >= 1 ? 0 : 1 / (1 - dropoutP);
    }

    /** Whether dropout is on. */
    public boolean dropout() {
        return dropoutP > 0;
    }
}
