package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Attention;
import fathom.Attention.Causal;
import fathom.Attention.Options;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backends;
import fathom.testing.Conformance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused float32 attention kernel equals the composite {@code softmax(Q·Kᵀ·scale + mask)·V} (matmul
 * and softmax, differentiated by autograd) in values and in the gradients of q, k and v, at sizes the
 * op registry keeps small: several key tiles, many heads across threads, head dimensions that are and
 * are not multiples of the vector width, every mask kind, dropout, and the strided head views of
 * multi-head attention.
 */
class AttentionF32Test {
    private static final double TOL = 2e-5;

    private record Case(String name, int b, int h, int tq, int tk, int d, int dv, Options options, boolean headViews) {}

    private static List<Case> cases(Rng rng) {
        Tensor boolMask = Tensors.rand(rng, 70, 150).gt(0.3);
        Tensor floatMask = Tensors.randn(rng, 2, 1, 70, 150);
        Tensor padding = Tensors.rand(rng, 2, 150).gt(0.8);
        return List.of(
                new Case("plain, three key tiles", 2, 3, 70, 150, 32, 24, Options.NONE, false),
                new Case("causal upper-left", 2, 4, 64, 64, 32, 32, Options.causal(Causal.UPPER_LEFT), false),
                new Case("causal lower-right, Tq < Tk", 2, 3, 70, 150, 16, 16, Options.causal(Causal.LOWER_RIGHT), false),
                new Case("causal upper-left, Tq < Tk", 2, 3, 70, 150, 13, 13, Options.causal(Causal.UPPER_LEFT), false),
                new Case("bool mask", 2, 3, 70, 150, 32, 32, new Options(boolMask, null, Causal.NONE, 0, null), false),
                new Case("float mask and padding", 2, 3, 70, 150, 20, 9, new Options(floatMask, padding, Causal.NONE, 0, 0.2), false),
                new Case("dropout", 2, 3, 70, 150, 32, 32, new Options(null, null, Causal.LOWER_RIGHT, 0.2, null), false),
                new Case("head views", 3, 4, 64, 64, 32, 32, Options.causal(Causal.UPPER_LEFT), true));
    }

    @Test
    void fusedEqualsCompositeInValuesAndGradients() {
        assertEquals("cpu", Backends.current().name());
        Rng rng = new Rng(17);
        for (Case c : cases(rng)) {
            Inputs in = Inputs.draw(rng, c);
            List<Tensor> fused = run(in, c, true);
            List<Tensor> composite = run(in, c, false);
            String[] what = {"output", "dq", "dk", "dv"};
            for (int i = 0; i < what.length; i++) {
                assertNull(Conformance.differ(fused.get(i), composite.get(i), TOL), c.name + ": " + what[i]);
            }
        }
    }

    @Test
    void outputAndGradientsAreHeadsLastSoMergingHeadsIsAView() {
        Rng rng = new Rng(5);
        Tensor q = Tensors.randn(rng, 2, 3, 10, 8).requiresGrad(true);
        Tensor k = Tensors.randn(rng, 2, 3, 12, 8).requiresGrad(true);
        Tensor v = Tensors.randn(rng, 2, 3, 12, 4).requiresGrad(true);
        Tensor out = Attention.scaledDotProduct(q, k, v, Options.NONE, rng);
        assertEquals(Shape.of(2, 3, 10, 4), out.shape());
        assertTrue(out.transpose(1, 2).isContiguous(), "[B, H, T, D] over [B, T, H, D] memory");
        Tensor merged = out.transpose(1, 2).reshape(2, 10, 12);
        assertTrue(merged.storage() == out.storage(), "merging the heads is a view");
        merged.sum().backward();
        for (Tensor t : new Tensor[] {q, k, v}) {
            assertEquals(t.shape(), t.grad().shape());
        }
    }

    @Test
    void gradientsOverwriteEveryElementOfTheirDestinations() {
        Rng rng = new Rng(23);
        for (Case c : cases(rng)) {
            Inputs in = Inputs.draw(rng, c);
            List<Tensor> expected = run(in, c, false);
            Tensor qv = heads(in.q, c);
            Tensor kv = heads(in.k, c);
            Tensor vv = heads(in.v, c);
            AttentionConfigAndOutput f = AttentionConfigAndOutput.of(qv, kv, vv, c.options);
            // destinations full of NaN, the gradients of q and k side by side in one buffer as the packed op's are
            Tensor qk = Tensors.full(Shape.of(c.b, c.tq + c.tk, c.h, c.d), DType.FLOAT32, Double.NaN);
            Tensor dq = qk.narrow(1, 0, c.tq).transpose(1, 2);
            Tensor dk = qk.narrow(1, c.tq, c.tk).transpose(1, 2);
            Tensor dv = Tensors.full(Shape.of(c.b, c.h, c.tk, c.dv), DType.FLOAT32, Double.NaN);
            Backends.current().attentionBackward(qv, kv, vv, f.output(), f.logSumExp(), in.g, f.config(), dq, dk, dv);
            Tensor[] got = {dq, dk, dv};
            for (int i = 0; i < 3; i++) {
                Tensor want = heads(expected.get(i + 1), c);
                assertNull(Conformance.differ(got[i], want, TOL), c.name + ": gradient " + i);
            }
        }
    }

    @Test
    void packedAttentionGivesTheBitsOfSplittingItsInputAndMergingTheHeads() {
        Rng rng = new Rng(31);
        for (Options o : List.of(Options.causal(Causal.UPPER_LEFT), Options.NONE, new Options(null, null, Causal.LOWER_RIGHT, 0.2, null))) {
            Tensor x = Tensors.randn(rng, 2, 70, 3 * 4 * 16);
            Tensor g = Tensors.randn(rng, 2, 70, 4 * 16);
            Tensor packedInput = x.detach().requiresGrad(true);
            Tensor packed = Attention.scaledDotProductPacked(packedInput, 4, o, new Rng(7));
            packed.backward(g);
            Tensor splitInput = x.detach().requiresGrad(true);
            Tensor[] heads = Attention.splitHeads(splitInput, 4);
            Tensor split = Attention.scaledDotProduct(heads[0], heads[1], heads[2], o, new Rng(7)).transpose(1, 2).reshape(2, 70, 64);
            split.backward(g);
            assertEquals(Shape.of(2, 70, 64), packed.shape());
            assertArrayEquals(split.toFloatArray(), packed.toFloatArray(), o + ": output");
            assertArrayEquals(splitInput.grad().toFloatArray(), packedInput.grad().toFloatArray(), o + ": gradient");
        }
    }

    @Test
    void aQueryThatSeesNoKeyOutputsZerosEvenIntoReusedMemory() {
        Rng rng = new Rng(41);
        Tensor q = Tensors.randn(rng, 2, 4, 64, 32);
        Tensor k = Tensors.randn(rng, 2, 4, 64, 32);
        Tensor v = Tensors.randn(rng, 2, 4, 64, 32);
        // query 5 may see no key
        boolean[] allowed = new boolean[64 * 64];
        java.util.Arrays.fill(allowed, true);
        java.util.Arrays.fill(allowed, 5 * 64, 6 * 64, false);
        Tensor mask = Tensors.of(allowed, 64, 64);
        // the output's [2, 64, 4, 32] memory may be a finished array; hand one full of NaN to the allocator
        fathom.backend.Storage.recycle(Tensors.full(Shape.of(2 * 64 * 4 * 32), DType.FLOAT32, Double.NaN).storage());
        Tensor out = Attention.scaledDotProduct(q, k, v, new Options(mask, null, Causal.NONE, 0, null), rng);
        assertArrayEquals(new float[2 * 4 * 32], out.narrow(2, 5, 1).contiguous().toFloatArray());
        assertTrue(java.util.Arrays.stream(out.toDoubleArray()).noneMatch(Double::isNaN));
    }

    @Test
    void packedAttentionNamesAShapeItCannotSplit() {
        Tensor x = Tensors.zeros(Shape.of(2, 5, 3 * 6), DType.FLOAT32);
        ShapeException e = assertThrows(ShapeException.class, () -> Attention.scaledDotProductPacked(x, 4, Options.NONE, null));
        assertTrue(e.getMessage().contains("[2, 5, 18]"), e.getMessage());
    }

    /** The forward's results as the backward needs them, from the public op on detached inputs. */
    private record AttentionConfigAndOutput(fathom.backend.AttentionConfig config, Tensor output, Tensor logSumExp) {
        static AttentionConfigAndOutput of(Tensor q, Tensor k, Tensor v, Options o) {
            Tensor out = Attention.scaledDotProduct(q.requiresGrad(true), k, v, o, new Rng(99));
            fathom.autograd.Op.ScaledDotProductAttention op = (fathom.autograd.Op.ScaledDotProductAttention) out.gradFn().op();
            return new AttentionConfigAndOutput(op.config(), out.detach(), op.logSumExp());
        }
    }

    /** q, k and v as stored ([B, H, T, D], or for head views [B, T, H, D]) and the output's gradient [B, H, Tq, Dv]. */
    private record Inputs(Tensor q, Tensor k, Tensor v, Tensor g) {
        static Inputs draw(Rng rng, Case c) {
            return new Inputs(stored(rng, c, c.tq, c.d), stored(rng, c, c.tk, c.d), stored(rng, c, c.tk, c.dv),
                    Tensors.randn(rng, c.b, c.h, c.tq, c.dv));
        }

        private static Tensor stored(Rng rng, Case c, int t, int d) {
            return c.headViews ? Tensors.randn(rng, c.b, t, c.h, d) : Tensors.randn(rng, c.b, c.h, t, d);
        }
    }

    /** x as attention reads it, [B, H, T, D]: for head views, [B, T, H, D] transposed (strided, read in place). */
    private static Tensor heads(Tensor x, Case c) {
        return c.headViews ? x.transpose(1, 2) : x;
    }

    /** The output and the gradients of q, k and v as stored, from the fused op or the composite. */
    private static List<Tensor> run(Inputs in, Case c, boolean fused) {
        Tensor q = in.q.detach().requiresGrad(true);
        Tensor k = in.k.detach().requiresGrad(true);
        Tensor v = in.v.detach().requiresGrad(true);
        Rng rng = new Rng(99);
        Tensor out = fused ? Attention.scaledDotProduct(heads(q, c), heads(k, c), heads(v, c), c.options, rng)
                : Attention.scaledDotProductComposite(heads(q, c), heads(k, c), heads(v, c), c.options, rng);
        out.backward(in.g);
        return List.of(out.detach(), q.grad(), k.grad(), v.grad());
    }

    @Test
    void dropoutDropsAboutPAndTheSameMaskInForwardAndBackward() {
        Rng rng = new Rng(3);
        Tensor q = Tensors.randn(rng, 1, 2, 64, 8);
        Tensor k = Tensors.randn(rng, 1, 2, 64, 8);
        // v = identity rows: the output is then the dropped-out probability matrix itself
        Tensor v = Tensors.zeros(Shape.of(1, 2, 64, 64), DType.FLOAT32);
        for (int j = 0; j < 64; j++) {
            v.select(3, j).select(2, j).fillInPlace(1);
        }
        Tensor p = Attention.scaledDotProduct(q, k, v, new Options(null, null, Causal.NONE, 0.25, null), new Rng(8));
        long zeros = 0;
        for (float x : p.toFloatArray()) {
            zeros += x == 0 ? 1 : 0;
        }
        double fraction = zeros / (double) p.numel();
        assertTrue(Math.abs(fraction - 0.25) < 0.02, "dropped fraction " + fraction);
    }
}
