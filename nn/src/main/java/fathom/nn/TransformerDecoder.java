package fathom.nn;

import fathom.Rng;
import fathom.Tensor;

/**
 * A stack of {@code numLayers} copies of one decoder layer, then an optional final norm, PyTorch's
 * {@code nn.TransformerDecoder}: tgt [T, N, E] and memory [S, N, E] (batch-first as the layer is) give
 * [T, N, E]. Every copy starts with the given layer's weights, as PyTorch's deepcopy makes them.
 * State-dict keys: {@code layers.0.self_attn.in_proj_weight}, ..., {@code norm.weight}.
 */
public final class TransformerDecoder extends Module {
    public final ModuleList layers;
    /** The final norm, or null. */
    public final LayerNorm norm;
    public final int numLayers;

    /** {@code rng} seeds the copies' dropout. */
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, LayerNorm norm, Rng rng) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerDecoder: numLayers must be at least 1, got " + numLayers);
        }
        this.numLayers = numLayers;
        ModuleList list = new ModuleList();
        for (int i = 0; i < numLayers; i++) {
            list.add(decoderLayer.copy(rng.split()));
        }
        layers = child("layers", list);
        this.norm = norm == null ? null : child("norm", norm);
    }

    /** Always an error: a decoder needs the encoder's memory; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        throw new UnsupportedOperationException("TransformerDecoder needs the memory too: call forward(tgt, memory, ...)");
    }

    /** Without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null, false, false);
    }

    /** PyTorch's {@code forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask, ...)}. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask, boolean tgtIsCausal, boolean memoryIsCausal) {
        Tensor x = tgt;
        for (Module layer : layers) {
            x = ((TransformerDecoderLayer) layer).call(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask,
                    tgtIsCausal, memoryIsCausal);
        }
        return norm == null ? x : norm.call(x);
    }
}
