package fathom.models;

import fathom.Attention;
import fathom.Attention.Causal;
import fathom.Autograd;
import fathom.DType;
import fathom.Linalg;
import fathom.Rng;
import fathom.Tensor;
import fathom.nn.Dropout;
import fathom.nn.LayerNorm;
import fathom.nn.Linear;
import fathom.nn.Module;
import fathom.nn.ModuleDict;
import java.util.List;

/**
 * One pre-LayerNorm GPT block, x + attn(ln_1(x)) then x + mlp(ln_2(x)), with causal multi-head
 * self-attention and a GELU MLP: x [B, T, C] gives [B, T, C]. Children as nanoGPT names them:
 * {@code ln_1}, {@code attn.c_attn} (the q, k, v projection C → 3C), {@code attn.c_proj}, {@code ln_2},
 * {@code mlp.c_fc}, {@code mlp.c_proj}.
 */
final class GptBlock extends Module {
    private final int heads;
    private final double dropout;
    private final LayerNorm ln1;
    private final Linear cAttn;
    private final Linear attnProj;
    private final Dropout residDropout;
    private final LayerNorm ln2;
    private final Linear cFc;
    private final Linear mlpProj;
    private final Dropout mlpDropout;
    private final Rng attnRng;

    GptBlock(Gpt.Config c, DType dtype, Rng rng) {
        int d = c.dModel();
        heads = c.heads();
        dropout = c.dropout();
        ln1 = child("ln_1", new LayerNorm(new int[] {d}, 1e-5, true, dtype));
        ModuleDict attn = child("attn", new ModuleDict());
        cAttn = new Linear(d, 3 * d, true, dtype, rng);
        attnProj = new Linear(d, d, true, dtype, rng);
        residDropout = new Dropout(c.dropout(), rng.split());
        attn.put("c_attn", cAttn).put("c_proj", attnProj).put("resid_dropout", residDropout);
        ln2 = child("ln_2", new LayerNorm(new int[] {d}, 1e-5, true, dtype));
        ModuleDict mlp = child("mlp", new ModuleDict());
        cFc = new Linear(d, c.ff(), true, dtype, rng);
        mlpProj = new Linear(c.ff(), d, true, dtype, rng);
        mlpDropout = new Dropout(c.dropout(), rng.split());
        mlp.put("c_fc", cFc).put("c_proj", mlpProj).put("dropout", mlpDropout);
        attnRng = generator("attn_rng", rng.split());
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, 0, ownsActivations(this, null));
    }

    /** {@link #forward(Tensor, KvCache, int, boolean)}, then this block's forward hooks, as PyTorch's {@code block(x)}. */
    Tensor call(Tensor x, KvCache cache, int layer, boolean own) {
        return hooked(x, forward(x, cache, layer, own));
    }

    /**
     * With a cache, this block's keys and values for x's positions are appended to layer {@code layer} of it. With
     * {@code own}, the activations it makes and reads itself are marked for backward to recycle ({@link #owned}).
     */
    Tensor forward(Tensor x, KvCache cache, int layer, boolean own) {
        Tensor normed = owned(ln1.call(x), own);
        x = owned(residual(x, attnProj, residDropout, owned(attention(normed, cache, layer, own), own)), own);
        normed = owned(ln2.call(x), own);
        return residual(x, mlpProj, mlpDropout, owned(feedForwardInput(normed), own));
    }

    /**
     * Whether {@code model}'s forward pass may mark the activations only its own ops read: not with a cache (it keeps
     * keys and values), and not when any module in it has forward hooks, which see activations as their inputs and
     * outputs and may keep them.
     */
    static boolean ownsActivations(Module model, KvCache cache) {
        return cache == null && model.namedModules().values().stream().noneMatch(Module::hasForwardHooks);
    }

    /**
     * {@code t}, marked by {@link Autograd#releaseAfterBackward} when {@code own} ({@link #ownsActivations}): an
     * activation that only the model's own ops read, so that backward recycles its memory.
     */
    static Tensor owned(Tensor t, boolean own) {
        return own ? Autograd.releaseAfterBackward(t) : t;
    }

    /**
     * {@code x + dropout(proj(y))}: as {@link Linalg#addLinear} when the dropout passes its input through (p = 0, or
     * evaluation) and neither module has forward hooks, which then see what they would in PyTorch.
     */
    private static Tensor residual(Tensor x, Linear proj, Dropout dropout, Tensor y) {
        boolean plain = (dropout.p == 0 || !dropout.isTraining()) && !proj.hasForwardHooks() && !dropout.hasForwardHooks();
        return plain ? Linalg.addLinear(x, y, proj.weight, proj.bias) : x.add(dropout.call(proj.call(y)));
    }

    /**
     * gelu(c_fc(x)), as {@link Linalg#linearGelu}: one pass over the [B, T, 4C] activations instead of two. When c_fc
     * has forward hooks, the block calls it and then the GELU, so the hooks see c_fc's output as in PyTorch.
     */
    private Tensor feedForwardInput(Tensor x) {
        return cFc.hasForwardHooks() ? cFc.call(x).gelu() : Linalg.linearGelu(x, cFc.weight, cFc.bias);
    }

    /**
     * The heads' attention outputs merged, [B, T, C], before c_proj. Without a cache, one packed-attention node
     * ({@link Attention#scaledDotProductPacked}) reads c_attn's [B, T, 3C] output, so that the backward gathers the
     * gradients of q, k and v in one [B, T, 3C] tensor and c_attn's backward is one product per operand.
     */
    private Tensor attention(Tensor x, KvCache cache, int layer, boolean own) {
        Tensor qkv = owned(cAttn.call(x), own);
        // lower-right: the query at sequence position p sees keys 0..p, also when the keys include a cached prefix
        Attention.Options o = new Attention.Options(null, null, Causal.LOWER_RIGHT, isTraining() ? dropout : 0, null);
        if (cache == null) {
            return Attention.scaledDotProductPacked(qkv, heads, o, attnRng);
        }
        Tensor[] qkvHeads = Attention.splitHeads(qkv, heads);
        Tensor[] kv = cache.append(layer, qkvHeads[1], qkvHeads[2]);
        Tensor y = Attention.scaledDotProduct(qkvHeads[0], kv[0], kv[1], o, attnRng);
        return y.transpose(1, 2).reshape(x.size(0), x.size(1), x.size(2));
    }

    /** The projections that write into the residual stream (GPT-2 scales their initialization). */
    List<Linear> residualProjections() {
        return List.of(attnProj, mlpProj);
    }
}
