package fathom.nn;

/**
 * The sizes and options of one Transformer encoder or decoder layer, with PyTorch's names and defaults
 * ({@link #of}): model width {@code dModel}, {@code nhead} attention heads, a feed-forward block of
 * {@code dimFeedforward} (2048), {@code dropout} (0.1), {@code activation} (ReLU), {@code layerNormEps}
 * (1e-5), {@code batchFirst} (false: [T, N, E]) and {@code normFirst} (false: post-norm, as the
 * original Transformer; true: pre-norm, as GPT-2).
 */
public record TransformerConfig(int dModel, int nhead, int dimFeedforward, double dropout, Activation activation, double layerNormEps,
                                boolean batchFirst, boolean normFirst) {
    /** The feed-forward block's nonlinearity (PyTorch's "relu" or "gelu", the exact GELU). */
    public enum Activation { RELU, GELU }

    public TransformerConfig {
        if (dModel <= 0 || nhead <= 0 || dModel % nhead != 0) {
            throw new IllegalArgumentException("Transformer: dModel " + dModel + " must be a positive multiple of nhead " + nhead);
        }
        if (dimFeedforward <= 0) {
            throw new IllegalArgumentException("Transformer: dimFeedforward must be positive, got " + dimFeedforward);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("Transformer: dropout must be in [0, 1], got " + dropout);
        }
        if (activation == null) {
            throw new IllegalArgumentException("Transformer: activation must be RELU or GELU, not null");
        }
    }

    /** PyTorch's defaults for the given width and head count. */
    public static TransformerConfig of(int dModel, int nhead) {
        return new TransformerConfig(dModel, nhead, 2048, 0.1, Activation.RELU, 1e-5, false, false);
    }

    fathom.Tensor activate(fathom.Tensor x) {
        return activation == Activation.RELU ? x.relu() : x.gelu();
    }
}
