package fathom.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Autograd;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backends;
import fathom.backend.Storage;
import fathom.nn.CrossEntropyLoss;
import fathom.optim.AdamW;
import fathom.testing.Conformance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPT: nanoGPT's state-dict keys, KV-cached inference equal to full recomputation (bit for bit in
 * float64, where every op takes the reference path; to float32 rounding on the fast kernels),
 * generation equal to a naive recompute-everything loop (also past the context length), one batch
 * overfit, and a seeded run reproduced exactly.
 */
class GptTest {
    private static final Gpt.Config TINY = new Gpt.Config(11, 8, 2, 16, 4, 32, 0.0);

    @Test
    void stateDictKeysAreNanoGpts() {
        Gpt gpt = new Gpt(new Gpt.Config(11, 8, 1, 16, 4, 32, 0.0), new Rng(0));
        assertEquals(List.of("transformer.wte.weight", "transformer.wpe.weight",
                "transformer.h.0.ln_1.weight", "transformer.h.0.ln_1.bias",
                "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias",
                "transformer.h.0.attn.c_proj.weight", "transformer.h.0.attn.c_proj.bias",
                "transformer.h.0.ln_2.weight", "transformer.h.0.ln_2.bias",
                "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_fc.bias",
                "transformer.h.0.mlp.c_proj.weight", "transformer.h.0.mlp.c_proj.bias",
                "transformer.ln_f.weight", "transformer.ln_f.bias", "lm_head.weight"), List.copyOf(gpt.stateDict().keySet()));
        Gpt target = new Gpt(Gpt.Config.small(65), new Rng(0));
        // 4 blocks of 12·128² + 13·128 (attention, MLP 512, two norms) plus embeddings, final norm and head
        long blocks = 4L * (128 * 384 + 384 + 128 * 128 + 128 + 128 * 512 + 512 + 512 * 128 + 128 + 4 * 128);
        assertEquals(blocks + 65 * 128 + 64 * 128 + 2 * 128 + 65 * 128, target.parameterCount());
        assertEquals(0.02, target.wte.weight.std().item(), 0.002);
    }

    @Test
    void aHookOnTheQkvProjectionSeesItsWholeOutputAndChangesNoLogit() {
        Gpt gpt = new Gpt(TINY, DType.FLOAT64, new Rng(3));
        Tensor tokens = Tensors.randint(new Rng(4), 0, 11, 2, 5);
        Tensor plain = gpt.call(tokens);
        List<Shape> seen = new ArrayList<>();
        try (var _ = gpt.namedModules().get("transformer.h.0.attn.c_attn").registerForwardHook((m, in, out) -> seen.add(out.shape()))) {
            Tensor hooked = gpt.call(tokens);
            assertArrayEquals(plain.toDoubleArray(), hooked.toDoubleArray(), 1e-12);
        }
        assertEquals(List.of(Shape.of(2, 5, 48)), seen, "[B, T, 3C] as PyTorch's c_attn(x)");
    }

    @Test
    void aHookOnABlockSeesWhatTheNextBlockReads() {
        Gpt gpt = new Gpt(TINY, DType.FLOAT64, new Rng(3));
        Tensor tokens = Tensors.randint(new Rng(4), 0, 11, 2, 5);
        List<Tensor> outputs = new ArrayList<>();
        List<Tensor> inputs = new ArrayList<>();
        try (var _ = gpt.namedModules().get("transformer.h.0").registerForwardHook((m, in, out) -> outputs.add(out));
             var _ = gpt.namedModules().get("transformer.h.1").registerForwardHook((m, in, out) -> inputs.add(in))) {
            gpt.call(tokens);
        }
        assertEquals(1, outputs.size());
        assertEquals(Shape.of(2, 5, 16), outputs.getFirst().shape());
        assertTrue(outputs.getFirst() == inputs.getFirst(), "block 1 reads block 0's output");
    }

    @Test
    void cachedInferenceGivesTheLogitsOfFullRecomputation() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Gpt gpt = new Gpt(TINY, dtype, new Rng(1));
            gpt.eval();
            Tensor tokens = Tensors.randint(new Rng(2), 0, 11, 3, 8);
            Tensor full;
            try (var _ = Autograd.noGrad()) {
                full = gpt.call(tokens);
            }
            KvCache cache = gpt.newCache(3);
            List<Tensor> steps = new ArrayList<>();
            steps.add(gpt.forward(tokens.narrow(1, 0, 3), cache)); // a 3-token prompt, then one token at a time
            for (int p = 3; p < 8; p++) {
                steps.add(gpt.forward(tokens.narrow(1, p, 1), cache));
            }
            assertEquals(8, cache.length());
            Tensor cached = Tensor.cat(steps, 1);
            if (dtype == DType.FLOAT64) {
                assertArrayEquals(full.toDoubleArray(), cached.toDoubleArray(), "float64: bit for bit");
            } else {
                assertNull(Conformance.differ(cached, full, 1e-5));
            }
            assertThrows(ShapeException.class, () -> gpt.forward(tokens.narrow(1, 0, 1), cache), "the cache is full");
            cache.truncate(5); // roll back three positions and recompute them in one call
            Tensor again = gpt.forward(tokens.narrow(1, 5, 3), cache);
            assertNull(Conformance.differ(again, full.narrow(1, 5, 3), dtype == DType.FLOAT64 ? 0 : 1e-5));
        }
    }

    /** Generation by recomputing the whole (cropped) sequence for every token, as nanoGPT's generate does. */
    private static Tensor naiveGenerate(Gpt gpt, Tensor prompt, int n, TokenSampler sampler, Rng rng) {
        Tensor tokens = prompt;
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < n; i++) {
                int t = tokens.size(1);
                int ctx = gpt.config.contextLength();
                Tensor window = tokens.narrow(1, Math.max(0, t - ctx), Math.min(t, ctx));
                Tensor logits = gpt.call(window).select(1, -1);
                tokens = Tensor.cat(List.of(tokens, sampler.sample(logits, rng).unsqueeze(1)), 1);
            }
        }
        return tokens;
    }

    @Test
    void generationWithTheCacheEqualsNaiveGenerationAlsoPastTheContext() {
        Gpt gpt = new Gpt(TINY, DType.FLOAT64, new Rng(3));
        gpt.eval();
        Tensor prompt = Tensors.randint(new Rng(4), 0, 11, 2, 3);
        for (TokenSampler s : List.of(TokenSampler.greedy(), TokenSampler.ofTopK(4, 0.9), TokenSampler.ofTopP(0.8, 1.2))) {
            Tensor fast = gpt.generate(prompt, 12, s, new Rng(5));
            Tensor slow = naiveGenerate(gpt, prompt, 12, s, new Rng(5));
            assertEquals(Shape.of(2, 15), fast.shape());
            assertArrayEquals(slow.toLongArray(), fast.toLongArray(), s.toString());
        }
        gpt.train();
        gpt.generate(prompt, 1, TokenSampler.greedy(), null);
        assertTrue(gpt.isTraining(), "generate restores the mode");
    }

    private static double[] train(Gpt gpt, Tensor x, Tensor y, int steps, double lr) {
        AdamW opt = new AdamW(gpt.parameters(), lr);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        int v = gpt.config.vocabSize();
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor loss = ce.apply(gpt.call(x).reshape(-1, v), y.reshape(-1));
            loss.backward();
            opt.step();
            losses[s] = loss.item();
        }
        return losses;
    }

    @Test
    void overfitsATinyBatch() {
        assertEquals("cpu", Backends.current().name());
        Rng rng = new Rng(6);
        Gpt gpt = new Gpt(new Gpt.Config(16, 16, 2, 32, 4, 64, 0.0), rng);
        Tensor seq = Tensors.randint(rng, 0, 16, 4, 17);
        Tensor x = seq.narrow(1, 0, 16);
        Tensor y = seq.narrow(1, 1, 16);
        double[] losses = train(gpt, x, y, 80, 1e-2);
        assertEquals(Math.log(16), losses[0], 0.15, "starts near log(vocab)");
        assertTrue(losses[79] < 0.1, "loss " + losses[0] + " -> " + losses[79]);
        // the fitted model continues its training sequences: greedy generation from a prompt recites them
        Tensor out = gpt.generate(seq.narrow(1, 0, 4), 12, TokenSampler.greedy(), null);
        assertArrayEquals(seq.narrow(1, 0, 16).toLongArray(), out.toLongArray());
    }

    @Test
    void reusingAutogradsFinishedArraysChangesNoBit() {
        // widths whose activations and gradients are large enough (16 Ki floats and up) to be recycled
        for (double dropout : new double[] {0.0, 0.1}) {
            Gpt.Config c = new Gpt.Config(20, 32, 2, 128, 4, 512, dropout);
            Tensor seq = Tensors.randint(new Rng(9), 0, 20, 4, 33);
            Gpt on = new Gpt(c, new Rng(10));
            Gpt off = new Gpt(c, new Rng(10));
            double[] a = train(on, seq.narrow(1, 0, 32), seq.narrow(1, 1, 32), 3, 1e-2);
            boolean was = Storage.setRecycling(false);
            double[] b;
            try {
                b = train(off, seq.narrow(1, 0, 32), seq.narrow(1, 1, 32), 3, 1e-2);
            } finally {
                Storage.setRecycling(was);
            }
            assertArrayEquals(b, a, "dropout " + dropout);
            for (var e : off.namedParameters().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), on.namedParameters().get(e.getKey()).toFloatArray(), e.getKey());
            }
        }
    }

    @Test
    void anActivationAHookKeptIsNotRecycled() {
        // [4, 32, 128] activations: large enough (16 Ki floats) to be recycled were they not hooked
        Gpt gpt = new Gpt(new Gpt.Config(20, 32, 2, 128, 4, 512, 0.0), new Rng(10));
        Tensor seq = Tensors.randint(new Rng(9), 0, 20, 4, 33);
        List<Tensor> kept = new ArrayList<>();
        try (var _ = gpt.namedModules().get("transformer.h.0.ln_1").registerForwardHook((m, in, out) -> kept.add(out))) {
            train(gpt, seq.narrow(1, 0, 32), seq.narrow(1, 1, 32), 1, 1e-2);
            float[] seen = kept.getFirst().toFloatArray();
            train(gpt, seq.narrow(1, 0, 32), seq.narrow(1, 1, 32), 1, 1e-2);
            assertArrayEquals(seen, kept.getFirst().toFloatArray(), "the next step wrote over a hooked output");
        }
        assertEquals(2, kept.size());
    }

    @Test
    void aSeededRunIsReproducedExactly() {
        Gpt.Config c = new Gpt.Config(10, 8, 1, 16, 2, 32, 0.1);
        Tensor seq = Tensors.randint(new Rng(7), 0, 10, 2, 9);
        double[] a = train(new Gpt(c, new Rng(8)), seq.narrow(1, 0, 8), seq.narrow(1, 1, 8), 5, 1e-2);
        double[] b = train(new Gpt(c, new Rng(8)), seq.narrow(1, 0, 8), seq.narrow(1, 1, 8), 5, 1e-2);
        assertArrayEquals(a, b);
        assertTrue(a[4] < a[0]);
    }
}
