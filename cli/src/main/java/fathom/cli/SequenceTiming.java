package fathom.cli;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.CharLstm;
import fathom.models.Gpt;
import fathom.models.TokenSampler;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.Module;
import fathom.optim.Adam;
import fathom.optim.AdamConfig;
import fathom.optim.AdamW;
import fathom.optim.Optimizer;
import java.util.Locale;

/**
 * The sequence-models issue's benchmarks, the recipes of reference/bench_models_torch.py on random
 * tokens (vocabulary 96, batch 32 × 64 tokens, compute only): char-LSTM training (Embedding(96, 64),
 * LSTM 256, Linear, Adam lr 2e-3) and GPT training (4 pre-LN layers, d_model 128, 4 heads, ff 512, GELU,
 * learned positions, AdamW lr 1e-3) in tokens/s; and GPT generation for one sequence, with the KV cache
 * and by recomputing the whole prefix for every new token, in tokens/s.
 */
final class SequenceTiming {
    static final int VOCAB = 96;
    static final int SEQ = 64;
    static final int BATCH = 32;

    private SequenceTiming() {}

    static void printLstm() {
        // per token: the four gates from [x, h] (64 + 256 inputs, 4 x 256 outputs) and the 256 -> vocab head
        trainRate("char-LSTM", lstmStep(), 2.0 * (4 * 256 * (64 + 256) + 256 * VOCAB));
    }

    static void printGpt() {
        Rng rng = new Rng(0);
        Gpt model = new Gpt(Gpt.Config.small(VOCAB), rng);
        // per token and layer: qkv, output projection, feed-forward, and scores and weighted values over all 64 positions
        trainRate("GPT", gptStep(model, rng), 2.0 * (4 * (128 * 384 + 128 * 128 + 2 * 128 * 512 + 2 * SEQ * 128) + 128 * VOCAB));
        model.eval();
        Tensor prompt = Tensors.of(new long[] {1}, 1, 1);
        int n = SEQ - 1;
        TokenSampler greedy = TokenSampler.greedy();
        double cached = SteadyTimer.measure(() -> model.generate(prompt, n, greedy, null), 3.0).secondsPerCall();
        double recomputed = SteadyTimer.measure(() -> recompute(model, prompt, n), 3.0).secondsPerCall();
        System.out.printf(Locale.ROOT, "GPT generation, batch 1, %d tokens after a 1-token prompt: KV cache %,.0f tokens/s, "
                + "recomputing the prefix %,.0f tokens/s (%.1fx faster with the cache)%n", n, n / cached, n / recomputed, recomputed / cached);
    }

    /** Greedy generation without a cache: the whole sequence so far through the model for every new token. */
    static Tensor recompute(Gpt model, Tensor prompt, int n) {
        try (var _ = Autograd.noGrad()) {
            Tensor all = prompt;
            for (int i = 0; i < n; i++) {
                Tensor logits = model.call(all);
                Tensor next = logits.select(1, -1).argmax(1, false).unsqueeze(1);
                all = Tensor.cat(java.util.List.of(all, next), 1);
            }
            return all;
        }
    }

    /** The char-LSTM's training step (Adam lr 2e-3), for {@link #printLstm} and {@code fathom bench lstm --stream}. */
    static Runnable lstmStep() {
        Rng rng = new Rng(0);
        CharLstm model = new CharLstm(CharLstm.Config.standard(VOCAB), rng);
        return trainStep(model, new Adam(model.parameters(), new AdamConfig(2e-3, 0.9, 0.999, 1e-8, 0, false)), rng);
    }

    /** The GPT's training step (AdamW lr 1e-3) without the report, for {@code fathom bench gpt --stream}. */
    static Runnable gptStep() {
        Rng rng = new Rng(0);
        return gptStep(new Gpt(Gpt.Config.small(VOCAB), rng), rng);
    }

    private static Runnable gptStep(Gpt model, Rng rng) {
        return trainStep(model, new AdamW(model.parameters(), new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, false)), rng);
    }

    /** One optimizer step of {@code model} on a fixed batch of random tokens and random targets. */
    private static Runnable trainStep(Module model, Optimizer<?> opt, Rng rng) {
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Tensor x = Tensors.randint(rng, 0, VOCAB, BATCH, SEQ);
        Tensor y = Tensors.randint(rng, 0, VOCAB, BATCH, SEQ);
        return () -> {
            opt.zeroGrad(false);
            TextTraining.loss(loss, model.call(x), y).backward();
            opt.step();
        };
    }

    /** Times the training step; {@code forwardFlopsPerToken} feeds the GFLOP/s line. */
    private static void trainRate(String label, Runnable trainStep, double forwardFlopsPerToken) {
        SteadyTimer train = SteadyTimer.measure(trainStep, 5.0);
        double step = train.secondsPerCall();
        System.out.printf(Locale.ROOT, "%s train step (batch %d x %d tokens, vocab %d): %.2f ms, %,.0f tokens/s (after %.0f s of JIT warm-up)%n",
                label, BATCH, SEQ, VOCAB, step * 1e3, BATCH * SEQ / step, train.warmUpSeconds());
        System.out.println(train.ofPeak(3 * forwardFlopsPerToken * BATCH * SEQ));
    }
}
