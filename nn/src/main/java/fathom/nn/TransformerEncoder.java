package fathom.nn;

import fathom.Rng;
import fathom.Tensor;

/**
 * A stack of {@code numLayers} copies of one encoder layer, then an optional final norm, PyTorch's
 * {@code nn.TransformerEncoder}: src [T, N, E] (batch-first as the layer is) gives the same shape.
 * Every copy starts with the given layer's weights, as PyTorch's deepcopy makes them; the given layer
 * itself is not part of the stack. State-dict keys: {@code layers.0.self_attn.in_proj_weight}, ...,
 * {@code norm.weight}.
 */
public final class TransformerEncoder extends Module {
    public final ModuleList layers;
    /** The final norm, or null. */
    public final LayerNorm norm;
    public final int numLayers;

    /** {@code rng} seeds the copies' dropout. */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, LayerNorm norm, Rng rng) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be at least 1, got " + numLayers);
        }
        this.numLayers = numLayers;
        ModuleList list = new ModuleList();
        for (int i = 0; i < numLayers; i++) {
            list.add(encoderLayer.copy(rng.split()));
        }
        layers = child("layers", list);
        this.norm = norm == null ? null : child("norm", norm);
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null, false);
    }

    /** PyTorch's {@code forward(src, mask, src_key_padding_mask, is_causal)}; each layer gets the same masks. */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        for (Module layer : layers) {
            x = ((TransformerEncoderLayer) layer).call(x, mask, srcKeyPaddingMask, isCausal);
        }
        return norm == null ? x : norm.call(x);
    }
}
