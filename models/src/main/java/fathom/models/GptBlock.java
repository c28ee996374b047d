package fathom.models;

import fathom.Attention;
import fathom.Attention.Causal;
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
        return forward(x, null, 0);
    }

    /** With a cache, this block's keys and values for x's positions are appended to layer {@code layer} of it. */
    Tensor forward(Tensor x, KvCache cache, int layer) {
        x = residual(x, attnProj, residDropout, attention(ln1.call(x), cache, layer));
        return residual(x, mlpProj, mlpDropout, feedForwardInput(ln2.call(x)));
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

    /** The heads' attention outputs merged, [B, T, C], before c_proj. */
    private Tensor attention(Tensor x, KvCache cache, int layer) {
        int b = x.size(0);
        int t = x.size(1);
        int c = x.size(2);
        List<Tensor> qkv = cAttn.hasForwardHooks() ? cAttn.call(x).split(c, 2)
                : List.of(projection(x, 0, c), projection(x, 1, c), projection(x, 2, c));
        Tensor q = heads(qkv.get(0), b, t, c);
        Tensor k = heads(qkv.get(1), b, t, c);
        Tensor v = heads(qkv.get(2), b, t, c);
        if (cache != null) {
            Tensor[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        // lower-right: the query at sequence position p sees keys 0..p, also when the keys include a cached prefix
        Attention.Options o = new Attention.Options(null, null, Causal.LOWER_RIGHT, isTraining() ? dropout : 0, null);
        Tensor y = Attention.scaledDotProduct(q, k, v, o, attnRng);
        return y.transpose(1, 2).reshape(b, t, c);
    }

    /**
     * Part {@code i} (0 for q, 1 for k, 2 for v) of c_attn's output, from the matching rows of its weight and
     * bias. The same numbers as splitting the whole [B, T, 3C] output, but the backward pass then gathers
     * the three parts' gradients in the [3C, C] weight's gradient rather than in a [B, T, 3C] one: per block
     * of the GPT benchmark, three 3 MB zero-filled tensors and two 3 MB sums fewer (2-4% of a training step).
     * When c_attn has forward hooks (a summary registers them), the block calls it and splits its output
     * instead, so the hooks see what they would in PyTorch.
     */
    private Tensor projection(Tensor x, int i, int c) {
        return Linalg.linear(x, cAttn.weight.narrow(0, i * c, c), cAttn.bias.narrow(0, i * c, c));
    }

    /** [B, T, C] → [B, H, T, C/H], a view. */
    private Tensor heads(Tensor x, int b, int t, int c) {
        return x.reshape(b, t, heads, c / heads).transpose(1, 2);
    }

    /** The projections that write into the residual stream (GPT-2 scales their initialization). */
    List<Linear> residualProjections() {
        return List.of(attnProj, mlpProj);
    }
}
