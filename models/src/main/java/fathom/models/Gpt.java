package fathom.models;

import fathom.Autograd;
import fathom.DType;
import fathom.Rng;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.nn.Dropout;
import fathom.nn.Embedding;
import fathom.nn.Init;
import fathom.nn.LayerNorm;
import fathom.nn.Linear;
import fathom.nn.Module;
import fathom.nn.ModuleDict;
import fathom.nn.ModuleList;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only Transformer language model (GPT-2's architecture): token embedding plus learned
 * position embedding, {@code layers} pre-LayerNorm blocks of causal multi-head self-attention and a GELU
 * MLP ({@link GptBlock}), a final LayerNorm and a linear head to the vocabulary: token ids [B, T]
 * (int64, T ≤ context) give logits [B, T, vocab].
 *
 * <p>State-dict keys are nanoGPT's ({@code transformer.wte.weight}, {@code transformer.wpe.weight},
 * {@code transformer.h.0.ln_1.weight}, {@code transformer.h.0.attn.c_attn.weight}, ...,
 * {@code transformer.ln_f.bias}, {@code lm_head.weight}), with nanoGPT's initialization: weights
 * N(0, 0.02), biases 0, and the residual projections N(0, 0.02/√(2·layers)). Unlike nanoGPT the head
 * is not tied to the token embedding.
 *
 * <p>Generation uses a {@link KvCache}: {@link #forward(Tensor, KvCache)} runs only the new positions,
 * attending to the cached keys, and gives the same logits as a full forward pass (tested).
 */
public final class Gpt extends Module {
    /**
     * The model's sizes: vocabulary, context length (the most positions), layers, model width
     * {@code dModel}, attention heads, MLP width {@code ff} and dropout (embeddings, attention
     * probabilities, residual branches).
     */
    public record Config(int vocabSize, int contextLength, int layers, int dModel, int heads, int ff, double dropout) {
        public Config {
            if (vocabSize <= 0 || contextLength <= 0 || layers <= 0 || ff <= 0) {
                throw new IllegalArgumentException("GPT sizes must be positive: vocab " + vocabSize + ", context " + contextLength
                        + ", layers " + layers + ", ff " + ff);
            }
            if (dModel <= 0 || heads <= 0 || dModel % heads != 0) {
                throw new IllegalArgumentException("GPT: dModel " + dModel + " must be a positive multiple of heads " + heads);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("GPT: dropout must be in [0, 1), got " + dropout);
            }
        }

        /** The sequence-model issue's target: context 64, 4 layers, width 128, 4 heads, MLP 512, no dropout. */
        public static Config small(int vocabSize) {
            return new Config(vocabSize, 64, 4, 128, 4, 512, 0.0);
        }
    }

    public final Config config;
    public final Embedding wte;
    public final Embedding wpe;
    public final LayerNorm lnF;
    public final Linear lmHead;
    private final Dropout drop;
    private final List<GptBlock> blocks = new ArrayList<>();

    /** A float32 model. */
    public Gpt(Config config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public Gpt(Config config, DType dtype, Rng rng) {
        this.config = config;
        int d = config.dModel();
        ModuleDict transformer = child("transformer", new ModuleDict());
        wte = new Embedding(config.vocabSize(), d, null, dtype, rng);
        wpe = new Embedding(config.contextLength(), d, null, dtype, rng);
        drop = new Dropout(config.dropout(), rng.split());
        ModuleList h = new ModuleList();
        for (int i = 0; i < config.layers(); i++) {
            GptBlock block = new GptBlock(config, dtype, rng);
            blocks.add(block);
            h.add(block);
        }
        lnF = new LayerNorm(new int[] {d}, 1e-5, true, dtype);
        transformer.put("wte", wte).put("wpe", wpe).put("drop", drop).put("h", h).put("ln_f", lnF);
        lmHead = child("lm_head", new Linear(d, config.vocabSize(), false, dtype, rng));
        initialize(rng);
    }

    private void initialize(Rng rng) {
        for (Module m : namedModules().values()) {
            if (m instanceof Linear l) {
                Init.normal(l.weight, 0, 0.02, rng);
                if (l.bias != null) {
                    Init.zeros(l.bias);
                }
            } else if (m instanceof Embedding e) {
                Init.normal(e.weight, 0, 0.02, rng);
            }
        }
        double std = 0.02 / Math.sqrt(2.0 * config.layers());
        for (GptBlock b : blocks) {
            for (Linear l : b.residualProjections()) {
                Init.normal(l.weight, 0, std, rng);
            }
        }
    }

    /** Logits [B, T, vocab] for token ids [B, T]. */
    @Override
    public Tensor forward(Tensor idx) {
        return run(idx, null);
    }

    /**
     * Logits [B, T, vocab] for the T new token ids [B, T] at positions {@code cache.length()..}, attending to
     * the cached positions too; appends the new keys and values and advances the cache. Runs without
     * gradients (inference).
     */
    public Tensor forward(Tensor idx, KvCache cache) {
        try (var _ = Autograd.noGrad()) {
            Tensor logits = run(idx, cache);
            cache.advance(idx.size(1));
            return logits;
        }
    }

    /** An empty cache for a batch of {@code batch} sequences, holding up to the context length. */
    public KvCache newCache(int batch) {
        return new KvCache(config.layers(), batch, config.heads(), config.contextLength(), config.dModel() / config.heads(),
                wte.weight.dtype());
    }

    private Tensor run(Tensor idx, KvCache cache) {
        int start = cache == null ? 0 : cache.length();
        if (idx.dim() != 2 || idx.dtype().isFloating()) {
            throw new ShapeException("GPT expects integer token ids [B, T], got " + idx.shape() + " " + idx.dtype());
        }
        int t = idx.size(1);
        if (start + t > config.contextLength()) {
            throw new ShapeException("GPT: " + (start + t) + " positions exceed the context length " + config.contextLength());
        }
        Tensor positions = Tensors.arange(start, start + t, 1);
        // every activation up to the head's input is read only by this model's ops: backward may recycle them
        boolean own = GptBlock.ownsActivations(this, cache);
        Tensor tokens = GptBlock.owned(wte.call(idx), own);
        Tensor x = GptBlock.owned(tokens.add(wpe.call(positions)), own);
        x = GptBlock.owned(drop.call(x), own); // [B, T, C]
        for (int i = 0; i < blocks.size(); i++) {
            x = GptBlock.owned(blocks.get(i).call(x, cache, i, own), own);
        }
        return lmHead.call(GptBlock.owned(lnF.call(x), own));
    }

    /**
     * The prompt [B, T0] (int64) followed by {@code maxNewTokens} tokens, each drawn by {@code sampler} from the
     * logits of the last position: [B, T0 + maxNewTokens]. Runs in eval mode without gradients (the mode is
     * restored) with a KV cache; once the context is full, the window slides: the last {@code context}
     * tokens are recomputed from scratch for each new token, as nanoGPT crops its input.
     */
    public Tensor generate(Tensor prompt, int maxNewTokens, TokenSampler sampler, Rng rng) {
        if (prompt.dim() != 2 || prompt.size(1) == 0) {
            throw new ShapeException("generate: the prompt must be token ids [B, T0] with T0 ≥ 1, got " + prompt.shape());
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("generate: maxNewTokens must be ≥ 0, got " + maxNewTokens);
        }
        boolean wasTraining = isTraining();
        eval();
        try (var _ = Autograd.noGrad()) {
            int b = prompt.size(0);
            int ctx = config.contextLength();
            Tensor tokens = prompt.to(DType.INT64);
            KvCache cache = newCache(b);
            int t0 = tokens.size(1);
            Tensor window = tokens.narrow(1, Math.max(0, t0 - ctx), Math.min(t0, ctx));
            Tensor logits = forward(window, cache);
            List<Tensor> parts = new ArrayList<>(List.of(tokens));
            for (int n = 0; n < maxNewTokens; n++) {
                Tensor next = sampler.sample(logits.select(1, -1), rng).unsqueeze(1); // [B, 1]
                parts.add(next);
                if (n == maxNewTokens - 1) {
                    break;
                }
                if (cache.length() < ctx) {
                    logits = forward(next, cache);
                } else {
                    Tensor all = Tensor.cat(parts, 1);
                    cache.clear();
                    logits = forward(all.narrow(1, all.size(1) - ctx, ctx), cache);
                }
            }
            return Tensor.cat(parts, 1);
        } finally {
            train(wasTraining);
        }
    }

    @Override
    public String toString() {
        return "Gpt(" + config + ", " + parameterCount() + " parameters)";
    }
}
