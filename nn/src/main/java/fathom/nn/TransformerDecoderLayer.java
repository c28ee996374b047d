package fathom.nn;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;

/**
 * One Transformer decoder layer, PyTorch's {@code nn.TransformerDecoderLayer}: self-attention over the
 * target, attention from the target to the encoder's {@code memory}, and a feed-forward block
 * {@code linear2(dropout(activation(linear1(x))))}, each added back to its input, with layer norms after
 * each sum (post-norm) or before each block ({@code normFirst}): tgt [T, N, E] and memory [S, N, E]
 * ([N, T, E], [N, S, E] with batchFirst) give [T, N, E] (or [N, T, E]).
 *
 * <p>Children as PyTorch names them: {@code self_attn}, {@code multihead_attn}, {@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2}, {@code norm3}, {@code dropout1},
 * {@code dropout2}, {@code dropout3}.
 */
public final class TransformerDecoderLayer extends Module {
    public final TransformerConfig config;
    public final MultiheadAttention selfAttn;
    public final MultiheadAttention multiheadAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final LayerNorm norm3;
    public final Dropout dropout1;
    public final Dropout dropout2;
    public final Dropout dropout3;

    /** PyTorch's defaults for the other options ({@link TransformerConfig#of}). */
    public TransformerDecoderLayer(int dModel, int nhead, Rng rng) {
        this(TransformerConfig.of(dModel, nhead), rng);
    }

    /** A float32 layer. */
    public TransformerDecoderLayer(TransformerConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public TransformerDecoderLayer(TransformerConfig config, DType dtype, Rng rng) {
        this.config = config;
        int e = config.dModel();
        selfAttn = child("self_attn", new MultiheadAttention(e, config.nhead(), config.dropout(), true, config.batchFirst(), dtype, rng));
        multiheadAttn = child("multihead_attn", new MultiheadAttention(e, config.nhead(), config.dropout(), true, config.batchFirst(), dtype, rng));
        linear1 = child("linear1", new Linear(e, config.dimFeedforward(), true, dtype, rng));
        dropout = child("dropout", new Dropout(config.dropout(), rng.split()));
        linear2 = child("linear2", new Linear(config.dimFeedforward(), e, true, dtype, rng));
        norm1 = child("norm1", norm(config, dtype));
        norm2 = child("norm2", norm(config, dtype));
        norm3 = child("norm3", norm(config, dtype));
        dropout1 = child("dropout1", new Dropout(config.dropout(), rng.split()));
        dropout2 = child("dropout2", new Dropout(config.dropout(), rng.split()));
        dropout3 = child("dropout3", new Dropout(config.dropout(), rng.split()));
    }

    private static LayerNorm norm(TransformerConfig config, DType dtype) {
        return new LayerNorm(new int[] {config.dModel()}, config.layerNormEps(), true, dtype);
    }

    /** Always an error: a decoder layer needs the encoder's memory; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new UnsupportedOperationException("TransformerDecoderLayer needs the memory too: call forward(tgt, memory, ...)");
    }

    /** Without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null, false, false);
    }

    /**
     * PyTorch's {@code layer(tgt, memory, tgt_mask=..., ...)}: {@link #forward(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor,
     * boolean, boolean)}, then the forward hooks, whose input is {@code tgt} (a hook takes one input tensor, where
     * PyTorch passes the tuple {@code (tgt, memory)}).
     */
    public Tensor call(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                       Tensor memoryKeyPaddingMask, boolean tgtIsCausal, boolean memoryIsCausal) {
        return hooked(tgt, forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal,
                memoryIsCausal));
    }

    /**
     * PyTorch's {@code forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
     * memory_key_padding_mask, tgt_is_causal, memory_is_causal)}; masks as {@link MultiheadAttention}
     * takes them, any may be null.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask, boolean tgtIsCausal, boolean memoryIsCausal) {
        Tensor x = tgt;
        if (config.normFirst()) {
            Tensor h = norm1.call(x);
            x = x.add(dropout1.call(selfAttn.call(h, h, h, tgtKeyPaddingMask, false, tgtMask, true, tgtIsCausal).output()));
            x = x.add(crossAttentionBlock(norm2.call(x), memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal));
            x = x.add(feedForwardBlock(norm3.call(x)));
        } else {
            x = norm1.call(x.add(dropout1.call(selfAttn.call(x, x, x, tgtKeyPaddingMask, false, tgtMask, true, tgtIsCausal).output())));
            x = norm2.call(x.add(crossAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal)));
            x = norm3.call(x.add(feedForwardBlock(x)));
        }
        return x;
    }

    private Tensor crossAttentionBlock(Tensor x, Tensor memory, Tensor mask, Tensor keyPaddingMask, boolean isCausal) {
        return dropout2.call(multiheadAttn.call(x, memory, memory, keyPaddingMask, false, mask, true, isCausal).output());
    }

    private Tensor feedForwardBlock(Tensor x) {
        return dropout3.call(linear2.call(dropout.call(config.activate(linear1.call(x)))));
    }

    private DType dtype() {
        return linear1.weight.dtype();
    }

    /** A new layer with this one's configuration and a copy of its weights (PyTorch's deepcopy in {@code _get_clones}). */
    TransformerDecoderLayer copy(Rng rng) {
        TransformerDecoderLayer c = new TransformerDecoderLayer(config, dtype(), rng);
        c.loadStateDict(stateDict(), true);
        c.train(isTraining());
        return c;
    }
}
