package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Attention;
import fathom.Attention.Causal;
import fathom.Autograd;
import fathom.DType;
import fathom.DTypeException;
import fathom.Normalization;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.optim.Adam;
import fathom.testing.Conformance;
import fathom.testing.GradCheck;
import fathom.testing.OpSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attention layers beyond the PyTorch fixtures: errors that name the problem, the two MHA paths and
 * the causal flag agreeing, dropout only in training, rotary embeddings depending on relative position
 * only, float64 gradient checks, stack copies, and a Transformer encoder that overfits one batch.
 */
class TransformerTest {
    private static Tensor randn64(Rng rng, int... dims) {
        return Tensors.randn(rng, Shape.of(dims), DType.FLOAT64);
    }

    private static void assertClose(String what, Tensor got, Tensor want, double tol) {
        assertNull(Conformance.differ(got.detach(), want.detach(), tol), what);
    }

    @Test
    void badArgumentsAreNamed() {
        Rng rng = new Rng(1);
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3, rng));
        MultiheadAttention m = new MultiheadAttention(8, 2, rng);
        ShapeException e = assertThrows(ShapeException.class, () -> m.forward(Tensors.zeros(4, 2, 6)));
        assertTrue(e.getMessage().contains("[4, 2, 6]"), e.getMessage());
        Tensor x = Tensors.zeros(4, 2, 8);
        assertThrows(ShapeException.class, () -> m.forward(x, x, x, Tensors.zeros(Shape.of(2, 3), DType.BOOL), false, null, true, false));
        assertThrows(ShapeException.class, () -> m.forward(x, x, x, null, false, Tensors.zeros(Shape.of(4, 5), DType.BOOL), true, false));
        Tensor q = Tensors.zeros(1, 2, 3, 4);
        assertThrows(ShapeException.class, () -> Attention.scaledDotProduct(Tensors.zeros(2, 3, 4), q, q));
        assertThrows(ShapeException.class, () -> Attention.scaledDotProduct(q, Tensors.zeros(1, 2, 3, 5), q));
        assertThrows(DTypeException.class, () -> Attention.scaledDotProduct(q, q.to(DType.FLOAT64), q));
        assertThrows(ShapeException.class, () -> Attention.scaledDotProduct(q, q, q, Tensors.zeros(Shape.of(3, 2), DType.BOOL), 0, false, null));
        IllegalArgumentException noRng = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(q, q, q, null, 0.1, false, null));
        assertTrue(noRng.getMessage().contains("rng"), noRng.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding(7));
        assertThrows(ShapeException.class, () -> new RmsNorm(4).call(Tensors.zeros(2, 5)));
    }

    @Test
    void weightsPathAndFusedPathAgreeAndCausalFlagEqualsTheMask() {
        Rng rng = new Rng(2);
        MultiheadAttention m = new MultiheadAttention(12, 3, 0.0, true, true, DType.FLOAT64, rng);
        Tensor x = randn64(rng, 2, 5, 12);
        Tensor fused = m.forward(x, x, x, null, false, null, true, true).output();
        boolean[] above = new boolean[25];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                above[i * 5 + j] = j > i;
            }
        }
        MultiheadAttention.Output withWeights = m.forward(x, x, x, null, true, Tensors.of(above, 5, 5), true, false);
        assertClose("causal flag vs mask", fused, withWeights.output(), 1e-12);
        assertEquals(Shape.of(2, 5, 5), withWeights.weights().shape());
        assertEquals(0.0, withWeights.weights().get(1, 0, 3), 0.0);
        assertClose("weights rows sum to 1", withWeights.weights().sum(new int[] {-1}, false), Tensors.ones(Shape.of(2, 5), DType.FLOAT64), 1e-12);
    }

    @Test
    void attentionDropoutOnlyInTraining() {
        Rng rng = new Rng(3);
        MultiheadAttention m = new MultiheadAttention(8, 2, 0.5, true, false, rng);
        Tensor x = Tensors.randn(rng, 6, 2, 8);
        Tensor train1 = m.call(x);
        Tensor train2 = m.call(x);
        assertTrue(Conformance.differ(train1, train2, 1e-6) != null, "each training call draws a new mask");
        m.eval();
        assertNull(Conformance.differ(m.call(x), m.call(x), 0));
        MultiheadAttention noDropout = new MultiheadAttention(8, 2, 0.0, true, false, new Rng(3));
        noDropout.loadStateDict(m.stateDict(), true);
        assertNull(Conformance.differ(m.call(x), noDropout.call(x), 1e-6), "eval mode is the dropout-free layer");
    }

    @Test
    void rotaryScoresDependOnlyOnRelativePosition() {
        Rng rng = new Rng(4);
        RotaryEmbedding rope = new RotaryEmbedding(8);
        Tensor q = randn64(rng, 1, 1, 1, 8);
        Tensor k = randn64(rng, 1, 1, 1, 8);
        double at0 = rope.apply(q, 5).mul(rope.apply(k, 2)).sum().item();
        double at7 = rope.apply(q, 12).mul(rope.apply(k, 9)).sum().item();
        double other = rope.apply(q, 6).mul(rope.apply(k, 2)).sum().item();
        assertEquals(at0, at7, 1e-12);
        assertTrue(Math.abs(at0 - other) > 1e-6);
        assertClose("position 0 is the identity", rope.apply(q, 0), q, 0);
        assertEquals(q.norm().item(), rope.apply(q, 3).norm().item(), 1e-12);
    }

    @Test
    void sinusoidalEncodingAddsTheTableInEitherLayout() {
        Rng rng = new Rng(5);
        SinusoidalPositionalEncoding seqFirst = new SinusoidalPositionalEncoding(6, 0.0, 10, false, rng);
        SinusoidalPositionalEncoding batchFirst = new SinusoidalPositionalEncoding(6, 0.0, 10, true, rng);
        Tensor x = Tensors.randn(rng, 4, 3, 6);
        Tensor a = seqFirst.call(x);
        Tensor b = batchFirst.call(x.transpose(0, 1));
        assertClose("layouts", b.transpose(0, 1), a, 0);
        assertClose("position 2", a.select(0, 2).sub(x.select(0, 2)).select(0, 1), seqFirst.table(3).select(0, 2), 1e-6);
        assertThrows(ShapeException.class, () -> seqFirst.call(Tensors.zeros(11, 1, 6)));
    }

    @Test
    void gradientsOfTheLayersCheckInFloat64() {
        Rng rng = new Rng(6);
        MultiheadAttention m = new MultiheadAttention(6, 2, 0.0, true, true, DType.FLOAT64, rng);
        Tensor kpm = Tensors.of(new boolean[] {false, false, true, false, false, false}, 2, 3);
        OpSpec.Fn mha = in -> List.of(m.forward(in.get(0), in.get(1), in.get(1), kpm, false, null, true, false).output());
        assertNull(GradCheck.check(mha, List.of(randn64(rng, 2, 2, 6), randn64(rng, 2, 3, 6)), new Rng(7)));
        assertNull(GradCheck.check(in -> List.of(Normalization.rmsNorm(in.get(0), new int[] {5}, in.get(1), 1e-6)),
                List.of(randn64(rng, 3, 5), randn64(rng, 5)), new Rng(8)));
        RotaryEmbedding rope = new RotaryEmbedding(4);
        assertNull(GradCheck.check(in -> List.of(rope.apply(in.get(0), 2)), List.of(randn64(rng, 1, 2, 3, 4)), new Rng(9)));
    }

    @Test
    void stacksCopyTheLayerIntoIndependentLayers() {
        Rng rng = new Rng(10);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(new TransformerConfig(8, 2, 16, 0.0,
                TransformerConfig.Activation.GELU, 1e-5, true, true), rng);
        TransformerEncoder enc = new TransformerEncoder(layer, 3, null, rng);
        assertEquals(3, enc.layers.size());
        Tensor w0 = enc.layers.get(0).stateDict().get("linear1.weight");
        Tensor w2 = enc.layers.get(2).stateDict().get("linear1.weight");
        assertClose("copies start equal", w2, w0, 0);
        assertClose("copies are the given layer's", w0, layer.linear1.weight, 0);
        assertNotSame(w0.storage(), w2.storage());
        assertNotSame(layer.linear1.weight.storage(), w0.storage());
        assertEquals(3 * layer.parameterCount(), enc.parameterCount());
        assertTrue(enc.stateDict().containsKey("layers.2.self_attn.out_proj.bias"));
        assertThrows(UnsupportedOperationException.class, () -> new TransformerDecoderLayer(8, 2, rng).call(Tensors.zeros(2, 1, 8)));
    }

    @Test
    void aStackRunsTheForwardHooksOfItsLayers() {
        Rng rng = new Rng(12);
        TransformerEncoder enc = new TransformerEncoder(new TransformerEncoderLayer(8, 2, rng), 2, null, rng);
        TransformerDecoder dec = new TransformerDecoder(new TransformerDecoderLayer(8, 2, rng), 2, null, rng);
        Tensor src = Tensors.randn(rng, 3, 2, 8);
        Tensor tgt = Tensors.randn(rng, 4, 2, 8);
        List<Tensor> seen = new java.util.ArrayList<>();
        try (var _ = enc.namedModules().get("layers.1").registerForwardHook((m, in, out) -> seen.add(out));
             var _ = dec.namedModules().get("layers.0").registerForwardHook((m, in, out) -> seen.add(in))) {
            Tensor memory;
            try (var _ = enc.namedModules().get("layers.0.self_attn").registerForwardHook((m, in, out) -> seen.add(in))) {
                memory = enc.call(src);
            }
            dec.forward(tgt, memory);
            // layer 0's attention reads src (post-norm); the last encoder layer's output is the encoder's (no final
            // norm); the first decoder layer's input is tgt
            assertEquals(3, seen.size());
            assertTrue(seen.get(0) == src && seen.get(1) == memory && seen.get(2) == tgt);
        }
    }

    @Test
    void anEncoderOverfitsOneBatch() {
        Rng rng = new Rng(11);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(new TransformerConfig(16, 2, 32, 0.0,
                TransformerConfig.Activation.RELU, 1e-5, true, false), rng);
        Linear head = new Linear(16, 3, true, rng);
        Tensor x = Tensors.randn(rng, 4, 6, 16);
        Tensor y = Tensors.randn(rng, 4, 6, 3);
        List<Tensor> params = new java.util.ArrayList<>(layer.parameters());
        params.addAll(head.parameters());
        Adam opt = new Adam(params, 0.01);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 150; step++) {
            opt.zeroGrad();
            Tensor loss = head.call(layer.forward(x, null, null, true)).sub(y).square().mean();
            loss.backward();
            opt.step();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        assertTrue(last < 0.05 * first, "loss " + first + " -> " + last);
        try (var _ = Autograd.noGrad()) {
            assertEquals(Shape.of(4, 6, 16), layer.call(x).shape());
        }
        assertEquals(Causal.UPPER_LEFT, Attention.Options.causal(Causal.UPPER_LEFT).causal());
    }
}
