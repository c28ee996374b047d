package fathom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.backend.Backends;
import fathom.backend.Storage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AutogradTest {
    private static Tensor param(float... v) {
        return Tensors.of(v).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor w = param(1, 2);
        w.mul(3).sum().backward();
        w.mul(3).sum().backward();
        assertArrayEquals(new float[] {6, 6}, w.grad().toFloatArray());
        w.zeroGrad();
        assertNull(w.grad());
        w.square().sum().backward();
        assertArrayEquals(new float[] {2, 4}, w.grad().toFloatArray());
    }

    @Test
    void backwardWithAGivenGradientAndThroughViews() {
        Tensor x = param(1, 2, 3, 4, 5, 6);
        Tensor y = x.reshape(2, 3).t().mul(2);
        y.backward(Tensors.of(new float[] {1, 0, 0, 0, 0, 10}, 3, 2));
        assertArrayEquals(new float[] {2, 0, 0, 0, 0, 20}, x.grad().toFloatArray());
    }

    @Test
    void aSharedInputGetsTheSumOfItsPathsGradients() {
        Tensor x = param(3);
        Tensor y = x.mul(x).add(x.exp());
        y.sum().backward();
        assertEquals(2 * 3 + Math.exp(3), x.grad().item(), 1e-3);
    }

    @Test
    void noGradAndDetachRecordNothing() {
        Tensor x = param(1, 2);
        try (var _ = Autograd.noGrad()) {
            Tensor y = x.mul(2);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
        }
        assertTrue(x.mul(2).requiresGrad());
        assertFalse(x.detach().mul(2).requiresGrad());
        var e = assertThrows(AutogradException.class, () -> x.detach().sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void aSecondBackwardNeedsRetainGraph() {
        Tensor x = param(1, 2);
        Tensor loss = x.exp().sum();
        loss.backward(Tensors.scalar(1), true);
        loss.backward(Tensors.scalar(1), true);
        assertArrayEquals(new float[] {(float) (2 * Math.E), (float) (2 * Math.exp(2))}, x.grad().toFloatArray(), 1e-5f);
        loss.backward();
        var e = assertThrows(AutogradException.class, loss::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void inPlaceChangesToSavedValuesAreRefused() {
        Tensor w = param(1, 2);
        Tensor x = Tensors.of(new float[] {3, 4});
        Tensor y = w.mul(x).sum();
        x.addInPlace(Tensors.scalar(1));
        var e = assertThrows(AutogradException.class, y::backward);
        assertTrue(e.getMessage().contains("modified by an in-place op"), e.getMessage());
        var leaf = assertThrows(AutogradException.class, () -> w.mulInPlace(2));
        assertTrue(leaf.getMessage().contains("requires grad"), leaf.getMessage());
        try (var _ = Autograd.noGrad()) {
            w.mulInPlace(2);
        }
        assertArrayEquals(new float[] {2, 4}, w.toFloatArray());
    }

    @Test
    void retainGradKeepsAnIntermediateGradient() {
        Tensor x = param(1, 2);
        Tensor h = x.mul(3).retainGrad();
        h.square().sum().backward();
        assertArrayEquals(new float[] {6, 12}, h.grad().toFloatArray());
        assertArrayEquals(new float[] {18, 36}, x.grad().toFloatArray());
    }

    @Test
    void anActivationsBackwardWritesOverAGradientOnlyAutogradHoldsAndARetainedOneIsACopy() {
        // relu's incoming gradient is mul's fresh g·w, which only autograd holds: relu's backward writes over it
        Tensor x = param(-1, 2, -3, 4);
        Tensor w = param(10, 20, 30, 40);
        Tensor h = x.relu().retainGrad();
        h.mul(w).sum().backward();
        assertArrayEquals(new float[] {10, 20, 30, 40}, h.grad().toFloatArray(), "the retained gradient, copied before the step");
        assertArrayEquals(new float[] {0, 20, 0, 40}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {0, 2, 0, 4}, w.grad().toFloatArray());
        Tensor z = param(-1, 0.5f, 2);
        Tensor v = param(3, 3, 3);
        z.gelu().mul(v).sum().backward();
        // the backward multiplies by the derivative the forward saved
        Tensor want = Backends.current().geluWithDerivative(Tensors.of(new float[] {-1, 0.5f, 2}, 3)).derivative().mul(3);
        assertArrayEquals(want.toFloatArray(), z.grad().toFloatArray());
    }

    @Test
    void aGradientStaysTheStepsOwnThroughAReshapeYetARetainedOneIsNotOverwritten() {
        // mul makes a fresh gradient for r; reshape hands a view of it to GELU, whose backward multiplies in place
        Tensor x = Tensors.of(new float[] {-1, 0.5f, 2, -0.25f, 3, 0}, 2, 3).requiresGrad(true);
        Tensor w = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 6);
        Tensor r = x.gelu().reshape(6).retainGrad();
        r.mul(w).sum().backward();
        assertArrayEquals(w.toFloatArray(), r.grad().toFloatArray(), "the retained gradient was copied before GELU's step wrote over it");
        Tensor d = Backends.current().geluWithDerivative(x.detach()).derivative();
        assertArrayEquals(w.reshape(2, 3).mul(d).toFloatArray(), x.grad().toFloatArray());
        // a leaf behind a reshape keeps the view of the fresh gradient as its own
        Tensor y = param(1, 2, 3, 4);
        y.reshape(2, 2).mul(Tensors.of(new float[] {5, 6, 7, 8}, 2, 2)).sum().backward();
        assertArrayEquals(new float[] {5, 6, 7, 8}, y.grad().toFloatArray());
    }

    @Test
    void backwardOfANonScalarNeedsAGradient() {
        var e = assertThrows(AutogradException.class, () -> param(1, 2).mul(2).backward());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void anomalyModeNamesTheOpThatMadeANaN() {
        Tensor x = param(-1, 2);
        try (var _ = Autograd.detectAnomaly()) {
            var forward = assertThrows(AnomalyException.class, () -> x.log());
            assertTrue(forward.getMessage().contains("forward of Unary(LOG)"), forward.getMessage());
            Tensor z = param(0, 4);
            Tensor y = z.sqrt().sum();
            var backward = assertThrows(AnomalyException.class, y::backward);
            assertTrue(backward.getMessage().contains("backward of Unary(SQRT)"), backward.getMessage());
        }
        assertTrue(Double.isNaN(x.log().toFloatArray()[0]), "outside anomaly mode NaN passes silently, as in PyTorch");
    }

    @Test
    void aFreshlyComputedGradientIsKeptWithoutACopyAndStillAccumulates() {
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor w = param(1, 0, 0, 1).reshape(2, 2).detach().requiresGrad(true);
        Tensor y = x.matmul(w);
        y.sum().backward();
        Tensor first = w.grad();
        assertTrue(first.isContiguous());
        assertFalse(first.storage() == x.storage(), "never a saved input's storage");
        assertArrayEquals(new float[] {4, 4, 6, 6}, first.toFloatArray());
        x.matmul(w).sum().backward();
        assertArrayEquals(new float[] {8, 8, 12, 12}, w.grad().toFloatArray());
        assertSame(first, w.grad(), "a later gradient is added in place, as PyTorch's AccumulateGrad does");
    }

    @Test
    void zeroGradInPlaceKeepsTheTensorAndTheNextBackwardOverwritesItWithTheFreshValues() {
        Rng rng = new Rng(3);
        Tensor x = Tensors.randn(rng, 5, 7);
        Tensor w = Tensors.randn(rng, 4, 7).requiresGrad(true);
        Tensor b = Tensors.randn(rng, 4).requiresGrad(true);
        Tensor v = Tensors.randn(rng, 3, 4).requiresGrad(true);
        Runnable step = () -> Linalg.linear(x, w, b).tanh().matmul(v.t()).square().sum().backward();
        step.run();
        float[][] fresh = {w.grad().toFloatArray(), b.grad().toFloatArray(), v.grad().toFloatArray()};
        Tensor kept = w.grad();
        for (Tensor p : new Tensor[] {w, b, v}) {
            p.zeroGrad(false);
            assertArrayEquals(new float[p.numel()], p.grad().toFloatArray(), "zeroed in place");
        }
        assertSame(kept, w.grad());
        step.run();
        assertSame(kept, w.grad(), "the weight gradient was computed into the kept tensor");
        assertArrayEquals(fresh[0], w.grad().toFloatArray(), 0, "the same bits as into a fresh tensor");
        assertArrayEquals(fresh[1], b.grad().toFloatArray(), 0);
        assertArrayEquals(fresh[2], v.grad().toFloatArray(), 0);
        step.run();
        float[] twice = w.grad().toFloatArray();
        for (int i = 0; i < twice.length; i++) {
            assertEquals(2 * fresh[0][i], twice[i], 0, "without zeroing, a second backward adds to the kept values");
        }
    }

    @Test
    void fusedLinearOpsGiveTheValuesAndGradientsOfTheirParts() {
        Rng rng = new Rng(8);
        Tensor x = Tensors.randn(rng, 2, 3, 4).requiresGrad(true);
        Tensor w = Tensors.randn(rng, 4, 4).requiresGrad(true);
        Tensor b = Tensors.randn(rng, 4).requiresGrad(true);
        Tensor r = Tensors.randn(rng, 2, 3, 4).requiresGrad(true);
        java.util.List<java.util.function.Supplier<Tensor>> fused = java.util.List.of(
                () -> Linalg.linearGelu(x, w, b), () -> Linalg.addLinear(r, x, w, b), () -> Linalg.addLinear(x, x, w, null));
        java.util.List<java.util.function.Supplier<Tensor>> parts = java.util.List.of(
                () -> Linalg.linear(x, w, b).gelu(), () -> r.add(Linalg.linear(x, w, b)), () -> x.add(Linalg.linear(x, w, null)));
        for (int i = 0; i < fused.size(); i++) {
            float[][] got = valueAndGradients(fused.get(i), x, w, b, r);
            float[][] want = valueAndGradients(parts.get(i), x, w, b, r);
            for (int j = 0; j < want.length; j++) {
                assertArrayEquals(want[j], got[j], 1e-6f, "fused op " + i + ", value (0) or gradient " + j);
            }
        }
        var e = assertThrows(ShapeException.class, () -> Linalg.addLinear(Tensors.zeros(3, 4), x, w, b));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    @Test
    void finishedGradientsAreReusedWithoutChangingABit() {
        Rng rng = new Rng(12);
        Tensor x = Tensors.randn(rng, 256, 128);
        Tensor w1 = Tensors.randn(rng, 512, 128).mul(0.1).requiresGrad(true);
        Tensor w2 = Tensors.randn(rng, 128, 512).mul(0.1).requiresGrad(true);
        java.util.function.Supplier<Tensor> f = () -> Linalg.linear(Linalg.linear(x, w1, null).gelu().tanh(), w2, null).relu();
        boolean was = Storage.setRecycling(false);
        float[][] plain;
        try {
            plain = valueAndGradients(f, w1, w2);
        } finally {
            Storage.setRecycling(true);
        }
        try {
            float[][] reused = valueAndGradients(f, w1, w2);
            for (int j = 0; j < plain.length; j++) {
                assertArrayEquals(plain[j], reused[j], "value (0) or gradient " + j);
            }
            // the [256, 512] gradients of tanh's and GELU's outputs, and GELU's saved derivative, were handed back
            float[] again = Tensors.empty(Shape.of(256, 512), DType.FLOAT32).toFloatArray();
            assertTrue(IntStream.range(0, again.length).anyMatch(i -> again[i] != 0), "an empty tensor reused a finished gradient");
        } finally {
            Storage.setRecycling(was);
        }
    }

    @Test
    void aMarkedActivationGoesBackToTheAllocatorWhenTheOpThatWroteItHasRunItsBackward() {
        // an odd length (131·127 ≥ 16 Ki floats) that no other test's arrays have
        Shape shape = Shape.of(131, 127);
        boolean was = Storage.setRecycling(true);
        try {
            for (boolean retain : new boolean[] {false, true}) {
                Tensor x = Tensors.randn(new Rng(5), 131, 127).requiresGrad(true);
                Tensor y = Autograd.releaseAfterBackward(x.exp());
                Tensor yt = y.transpose(0, 1);
                // the view shares y's memory, so only exp, which wrote it, may hand it back
                assertNull(yt.gradFn().releasableOutput());
                assertSame(y.storage, y.gradFn().releasableOutput());
                float[] marked = y.storage.floats();
                Tensor loss = yt.tanh().sum();
                if (retain) {
                    loss.backward(null, true);
                } else {
                    loss.backward();
                }
                boolean reused = IntStream.range(0, 8).anyMatch(i -> Tensors.empty(shape, DType.FLOAT32).storage.floats() == marked);
                assertEquals(!retain, reused, retain ? "a retained graph still holds y" : "y's array went to the next empty tensor");
            }
        } finally {
            Storage.setRecycling(was);
        }
    }

    @Test
    void aSecondBackwardThroughAFreedGeluIsRefused() {
        Tensor x = Tensors.randn(new Rng(1), 4, 5).requiresGrad(true);
        Tensor y = x.gelu().sum();
        y.backward();
        AutogradException e = assertThrows(AutogradException.class, y::backward);
        assertTrue(e.getMessage().contains("a second time"), e.getMessage());
    }

    /** f()'s value and, after backward of its squares' sum, the gradient of each parameter (empty when none). */
    private static float[][] valueAndGradients(java.util.function.Supplier<Tensor> f, Tensor... params) {
        for (Tensor p : params) {
            p.zeroGrad();
        }
        Tensor y = f.get();
        y.square().sum().backward();
        float[][] out = new float[params.length + 1][];
        out[0] = y.toFloatArray();
        for (int i = 0; i < params.length; i++) {
            out[i + 1] = params[i].grad() == null ? new float[0] : params[i].grad().toFloatArray();
        }
        return out;
    }

    @Test
    void zeroGradToNoneLeavesTheOldGradientTensorAlone() {
        Tensor x = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor w = Tensors.of(new float[] {1, 0, 0, 1}, 2, 2).requiresGrad(true);
        Linalg.linear(x, w, null).sum().backward();
        Tensor old = w.grad();
        float[] before = old.toFloatArray();
        w.zeroGrad();
        assertNull(w.grad());
        Linalg.linear(x.mul(3), w, null).sum().backward();
        assertArrayEquals(before, old.toFloatArray(), "a gradient a caller still holds is never written again");
        assertFalse(old == w.grad());
    }

    @Test
    void gradientsFromSeveralPathsAddUpWithoutChangingAnyPathsGradient() {
        Tensor w = param(1, 2, 3, 4).reshape(2, 2).detach().requiresGrad(true);
        Tensor x = Tensors.of(new float[] {1, -1, 2, 0.5f}, 2, 2).requiresGrad(true);
        Tensor h = x.matmul(w);
        h.retainGrad();
        // h feeds three paths; the first two gradients are fresh products, the third a view of the incoming one
        Tensor y = h.matmul(w).sum().add(h.mul(h).sum()).add(h.sum());
        y.backward();
        float[] hv = h.toFloatArray();
        float[] want = new float[4];
        float[] rowSums = {1 + 2, 3 + 4};
        for (int i = 0; i < 4; i++) {
            want[i] = rowSums[i % 2] + 2 * hv[i] + 1;
        }
        assertArrayEquals(want, h.grad().toFloatArray(), 1e-5f);
        assertArrayEquals(h.grad().matmul(w.t()).toFloatArray(), x.grad().toFloatArray(), 1e-5f);
    }

    @Test
    void gradientsKeepTheirOwnStorage() {
        Tensor a = param(1, 2);
        Tensor b = param(3, 4);
        a.add(b).sum().backward();
        assertFalse(a.grad().storage() == b.grad().storage(), "clipping one gradient in place must not scale another");
    }
}
