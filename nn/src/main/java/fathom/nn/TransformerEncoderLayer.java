package fathom.nn;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;

/**
 * One Transformer encoder layer, PyTorch's {@code nn.TransformerEncoderLayer}: self-attention and a
 * feed-forward block {@code linear2(dropout(activation(linear1(x))))}, each added back to its input,
 * with layer norms after each sum (post-norm) or before each block ({@code normFirst}, pre-norm):
 * src [T, N, E] ([N, T, E] with batchFirst, [T, E] unbatched) gives the same shape.
 *
 * <p>Children as PyTorch names them: {@code self_attn}, {@code linear1}, {@code dropout},
 * {@code linear2}, {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}; so state dicts move
 * between the two unchanged.
 */
public final class TransformerEncoderLayer extends Module {
    public final TransformerConfig config;
    public final MultiheadAttention selfAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final Dropout dropout1;
    public final Dropout dropout2;

    /** PyTorch's defaults for the other options ({@link TransformerConfig#of}). */
    public TransformerEncoderLayer(int dModel, int nhead, Rng rng) {
        this(TransformerConfig.of(dModel, nhead), rng);
    }

    /** A float32 layer. */
    public TransformerEncoderLayer(TransformerConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public TransformerEncoderLayer(TransformerConfig config, DType dtype, Rng rng) {
        this.config = config;
        int e = config.dModel();
        selfAttn = child("self_attn", new MultiheadAttention(e, config.nhead(), config.dropout(), true, config.batchFirst(), dtype, rng));
        linear1 = child("linear1", new Linear(e, config.dimFeedforward(), true, dtype, rng));
        dropout = child("dropout", new Dropout(config.dropout(), rng.split()));
        linear2 = child("linear2", new Linear(config.dimFeedforward(), e, true, dtype, rng));
        norm1 = child("norm1", new LayerNorm(new int[] {e}, config.layerNormEps(), true, dtype));
        norm2 = child("norm2", new LayerNorm(new int[] {e}, config.layerNormEps(), true, dtype));
        dropout1 = child("dropout1", new Dropout(config.dropout(), rng.split()));
        dropout2 = child("dropout2", new Dropout(config.dropout(), rng.split()));
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null, false);
    }

    /** PyTorch's {@code layer(src, src_mask=..., ...)}: {@link #forward(Tensor, Tensor, Tensor, boolean)}, then the forward hooks (input src). */
    public Tensor call(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
        return hooked(src, forward(src, srcMask, srcKeyPaddingMask, isCausal));
    }

    /**
     * PyTorch's {@code forward(src, src_mask, src_key_padding_mask, is_causal)}; masks as
     * {@link MultiheadAttention} takes them (bool true = may not attend), either may be null.
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        if (config.normFirst()) {
            x = x.add(selfAttentionBlock(norm1.call(x), srcMask, srcKeyPaddingMask, isCausal));
            x = x.add(feedForwardBlock(norm2.call(x)));
        } else {
            x = norm1.call(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask, isCausal)));
            x = norm2.call(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor selfAttentionBlock(Tensor x, Tensor mask, Tensor keyPaddingMask, boolean isCausal) {
        return dropout1.call(selfAttn.call(x, x, x, keyPaddingMask, false, mask, true, isCausal).output());
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout2.call(linear2.call(dropout.call(config.activate(linear1.call(x)))));
    }

    private DType dtype() {
        return linear1.weight.dtype();
    }

    /** A new layer with this one's configuration and a copy of its weights (PyTorch's deepcopy in {@code _get_clones}). */
    TransformerEncoderLayer copy(Rng rng) {
        TransformerEncoderLayer c = new TransformerEncoderLayer(config, dtype(), rng);
        c.loadStateDict(stateDict(), true);
        c.train(isTraining());
        return c;
    }
}
