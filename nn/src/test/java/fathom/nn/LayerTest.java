package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.testing.GradCheck;
import fathom.testing.OpSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer behaviour beyond the PyTorch fixtures: dropout statistics, shapes and errors, and float64 gradient checks. */
class LayerTest {
    private static Tensor randn64(Rng rng, int... dims) {
        return Tensors.randn(rng, Shape.of(dims), DType.FLOAT64);
    }

    private static void gradCheck(String what, OpSpec.Fn fn, Tensor... inputs) {
        String problem = GradCheck.check(fn, List.of(inputs), new Rng(99));
        assertNull(problem, what + ": " + problem);
    }

    @Test
    void dropoutDropsAFractionPAndRescales() {
        Dropout d = new Dropout(0.3, new Rng(1));
        Tensor x = Tensors.ones(100_000).requiresGrad(true);
        Tensor y = d.call(x);
        float[] v = y.toFloatArray();
        int zeros = 0;
        for (float f : v) {
            if (f == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.7f, f, 1e-6f);
            }
        }
        double sd = Math.sqrt(0.3 * 0.7 / v.length);
        assertEquals(0.3, zeros / (double) v.length, 5 * sd);
        y.sum().backward();
        assertArrayEquals(v, x.grad().toFloatArray(), "the gradient is the scaled mask");
        // a second call draws a new mask; the same seed reproduces the stream
        assertTrue(!java.util.Arrays.equals(v, d.call(Tensors.ones(100_000)).toFloatArray()));
        assertArrayEquals(v, new Dropout(0.3, new Rng(1)).call(Tensors.ones(100_000)).toFloatArray());
    }

    @Test
    void dropoutEdgeCases() {
        Tensor x = Tensors.randn(new Rng(2), 4, 5);
        Dropout d = new Dropout(0.5, new Rng(3));
        d.eval();
        assertSame(x, d.call(x));
        assertSame(x, new Dropout(0, new Rng(4)).call(x));
        assertArrayEquals(new float[20], new Dropout(1, new Rng(5)).call(x).toFloatArray(), 0f); // −0 from negative inputs, as PyTorch
        Tensor x64 = Tensors.ones(Shape.of(1000), DType.FLOAT64);
        assertEquals(DType.FLOAT64, new Dropout(0.5, new Rng(6)).call(x64).dtype());
        for (double p : new double[] {-0.1, 1.1, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new Dropout(p, new Rng(7)));
        }
    }

    @Test
    void flattenAndIdentity() {
        Tensor x = Tensors.zeros(2, 3, 4, 5);
        assertEquals(Shape.of(2, 60), new Flatten().call(x).shape());
        assertEquals(Shape.of(2, 12, 5), new Flatten(1, 2).call(x).shape());
        assertEquals(Shape.of(120), new Flatten(0, -1).call(x).shape());
        assertSame(x, new Identity().call(x));
    }

    @Test
    void linearShapesAndNoCopyOfTheWeight() {
        Linear fc = new Linear(4, 3, true, new Rng(8));
        assertEquals(Shape.of(3, 4), fc.weight.shape());
        assertEquals(Shape.of(2, 5, 3), fc.call(Tensors.zeros(2, 5, 4)).shape());
        assertEquals(Shape.of(3), fc.call(Tensors.zeros(4)).shape());
        assertEquals(Shape.of(7, 3), new Linear(4, 3, false, new Rng(9)).call(Tensors.zeros(7, 4)).shape());
        assertThrows(ShapeException.class, () -> fc.call(Tensors.zeros(2, 5)));
    }

    @Test
    void batchNormChecksShapesAndBatchSize() {
        BatchNorm1d bn = new BatchNorm1d(3);
        String msg = assertThrows(ShapeException.class, () -> bn.call(Tensors.zeros(4, 5))).getMessage();
        assertTrue(msg.contains("[4, 5]"), msg);
        assertThrows(ShapeException.class, () -> bn.call(Tensors.zeros(1, 3)));
        assertEquals(0, bn.numBatchesTracked.item(), "a refused batch does not count");
        bn.eval();
        assertEquals(Shape.of(1, 3), bn.call(Tensors.zeros(1, 3)).shape());
        assertEquals(Shape.of(2, 3, 1), bn.call(Tensors.zeros(2, 3, 1)).shape());
    }

    @Test
    void layerNormAndEmbeddingErrors() {
        String msg = assertThrows(ShapeException.class, () -> new LayerNorm(3, 4).call(Tensors.zeros(2, 4, 3))).getMessage();
        assertTrue(msg.contains("[3, 4]") && msg.contains("[2, 4, 3]"), msg);
        assertThrows(ShapeException.class, () -> new LayerNorm(3, 4).call(Tensors.zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2, 5, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2, -6, new Rng(1)));
        Embedding emb = new Embedding(5, 2, null, new Rng(1));
        assertEquals(Shape.of(3, 4, 2), emb.call(Tensors.randint(new Rng(2), 0, 5, 3, 4)).shape());
        assertThrows(IndexOutOfBoundsException.class, () -> emb.call(Tensors.of(new long[] {5})));
    }

    @Test
    void embeddingPaddingRowStaysFixedButIsStillRead() {
        Embedding emb = new Embedding(4, 3, 2, new Rng(3));
        try (var _ = fathom.Autograd.noGrad()) {
            emb.weight.select(0, 2).fillInPlace(5); // a padding row set by hand is returned as it is, like PyTorch
        }
        Tensor out = emb.call(Tensors.of(new long[] {2, 0, 2}));
        assertArrayEquals(new float[] {5, 5, 5}, out.select(0, 0).toFloatArray());
        out.sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, emb.weight.grad().toFloatArray());
    }

    @Test
    void activationsComposeTheCoreOps() {
        Tensor x = Tensors.of(new float[] {-30, -2, -0.5f, 0.5f, 2, 30});
        assertArrayEquals(x.relu().toFloatArray(), new Relu().call(x).toFloatArray());
        assertArrayEquals(x.leakyRelu(0.01).toFloatArray(), new LeakyRelu().call(x).toFloatArray());
        assertArrayEquals(x.elu(1).toFloatArray(), new Elu().call(x).toFloatArray());
        assertArrayEquals(x.gelu().toFloatArray(), new Gelu().call(x).toFloatArray());
        assertArrayEquals(x.softplus().toFloatArray(), new Softplus().call(x).toFloatArray());
        // beyond the threshold softplus is x itself, and the gradient stays finite where exp would overflow
        Tensor big = Tensors.of(new double[] {-800, 800, 3}).requiresGrad(true);
        Tensor sp = new Softplus(0.5, 10).call(big);
        assertArrayEquals(new double[] {0, 800, 2 * Math.log1p(Math.exp(1.5))}, sp.toDoubleArray(), 1e-12);
        sp.sum().backward();
        assertArrayEquals(new double[] {0, 1, 1 / (1 + Math.exp(-1.5))}, big.grad().toDoubleArray(), 1e-12);
    }

    // ---- float64 finite-difference gradient checks of layers whose forward composes several ops ----

    @Test
    void gradCheckNorms() {
        Rng rng = new Rng(10);
        LayerNorm ln = new LayerNorm(new int[] {5}, 1e-5, true, DType.FLOAT64);
        Init.normal(ln.weight, 1, 0.5, rng);
        gradCheck("LayerNorm", in -> List.of(ln.call(in.get(0))), randn64(rng, 3, 5));
        BatchNorm1d bn = new BatchNorm1d(4, 1e-5, 0.1, true, true, DType.FLOAT64);
        Init.normal(bn.bias, 0, 1, rng);
        gradCheck("BatchNorm1d [N, C, L] train", in -> List.of(bn.call(in.get(0))), randn64(rng, 3, 4, 2));
        bn.eval();
        gradCheck("BatchNorm1d eval", in -> List.of(bn.call(in.get(0))), randn64(rng, 3, 4));
    }

    @Test
    void gradCheckLinearSoftplusGelu() {
        Rng rng = new Rng(11);
        Linear fc = new Linear(4, 3, true, DType.FLOAT64, rng);
        gradCheck("Linear", in -> List.of(fc.call(in.get(0))), randn64(rng, 2, 4));
        gradCheck("Softplus(2, 3)", in -> List.of(new Softplus(2, 3).call(in.get(0))), randn64(rng, 4, 3));
        gradCheck("Gelu tanh", in -> List.of(new Gelu(Gelu.Approximate.TANH).call(in.get(0))), randn64(rng, 4, 3));
    }

    @Test
    void gradCheckLosses() {
        Rng rng = new Rng(12);
        Tensor weight = Tensors.of(new double[] {0.5, 2, 1, 1.5});
        Tensor target = Tensors.of(new long[] {0, 3, -100, 1, 2});
        gradCheck("CrossEntropyLoss weight + ignore + smoothing",
                in -> List.of(new CrossEntropyLoss(weight, -100, Reduction.MEAN, 0.2).apply(in.get(0), target)), randn64(rng, 5, 4));
        Tensor probs = randn64(rng, 3, 4).softmax(1);
        gradCheck("CrossEntropyLoss probabilities", in -> List.of(new CrossEntropyLoss(weight, -100, Reduction.SUM, 0.1)
                .apply(in.get(0), probs)), randn64(rng, 3, 4));
        Tensor posWeight = Tensors.of(new double[] {0.5, 2, 3});
        Tensor y = Tensors.rand(rng, Shape.of(4, 3), DType.FLOAT64);
        gradCheck("BceWithLogitsLoss pos weight",
                in -> List.of(new BceWithLogitsLoss(null, Reduction.NONE, posWeight).apply(in.get(0).mul(3), y)), randn64(rng, 4, 3));
        gradCheck("KlDivLoss",
                in -> List.of(new KlDivLoss(KlDivLoss.KlReduction.BATCHMEAN, false).apply(in.get(0).logSoftmax(1), in.get(1).softmax(1))),
                randn64(rng, 3, 4), randn64(rng, 3, 4));
    }
}
