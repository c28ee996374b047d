package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.optim.Adam;
import fathom.testing.GradCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recurrent layers beyond the PyTorch fixtures: state handling, dropout, errors, gradients and learning. */
class RecurrentLayerTest {
    private static Tensor randn64(Rng rng, int... dims) {
        return Tensors.randn(rng, Shape.of(dims), DType.FLOAT64);
    }

    @Test
    void runningInTwoHalvesWithTheCarriedStateEqualsOneRun() {
        Rng rng = new Rng(1);
        Lstm lstm = new Lstm(3, 5, new RecurrentConfig(2, true, true, 0, false), DType.FLOAT64, rng);
        Tensor x = randn64(rng, 2, 7, 3);
        Lstm.Output whole = lstm.run(x);
        Lstm.Output first = lstm.run(x.narrow(1, 0, 4));
        Lstm.Output second = lstm.run(x.narrow(1, 4, 3), first.state());
        assertArrayEquals(whole.output().narrow(1, 4, 3).toDoubleArray(), second.output().toDoubleArray(), 1e-12);
        assertArrayEquals(whole.h().toDoubleArray(), second.h().toDoubleArray(), 1e-12);
        assertArrayEquals(whole.c().toDoubleArray(), second.c().toDoubleArray(), 1e-12);
        assertEquals(Shape.of(2, 2, 5), whole.h().shape());

        Gru gru = new Gru(3, 4, new RecurrentConfig(1, true, false, 0, false), DType.FLOAT64, rng);
        Tensor xt = randn64(rng, 6, 2, 3);
        Gru.Output all = gru.run(xt, null);
        Gru.Output rest = gru.run(xt.narrow(0, 2, 4), gru.run(xt.narrow(0, 0, 2), null).h());
        assertArrayEquals(all.h().toDoubleArray(), rest.h().toDoubleArray(), 1e-12);
    }

    @Test
    void theCellsStepByStepEqualTheLayer() {
        Rng rng = new Rng(2);
        Lstm lstm = new Lstm(3, 4, RecurrentConfig.DEFAULT, DType.FLOAT64, rng);
        LstmCell cell = new LstmCell(3, 4, true, DType.FLOAT64, rng);
        cell.loadStateDict(java.util.Map.of("weight_ih", lstm.stateDict().get("weight_ih_l0"), "weight_hh", lstm.stateDict().get("weight_hh_l0"),
                "bias_ih", lstm.stateDict().get("bias_ih_l0"), "bias_hh", lstm.stateDict().get("bias_hh_l0")), true);
        Tensor x = randn64(rng, 5, 2, 3);
        Lstm.Output out = lstm.run(x);
        LstmState s = null;
        for (int t = 0; t < 5; t++) {
            s = cell.forward(x.select(0, t), s);
            assertArrayEquals(out.output().select(0, t).toDoubleArray(), s.h().toDoubleArray(), 1e-12, "step " + t);
        }
        assertArrayEquals(out.c().select(0, 0).toDoubleArray(), s.c().toDoubleArray(), 1e-12);
        // an unbatched step is the batched step of a batch of one
        LstmState one = cell.forward(x.select(0, 0).select(0, 1), null);
        assertArrayEquals(out.output().select(0, 0).select(0, 1).toDoubleArray(), one.h().toDoubleArray(), 1e-12);
        assertEquals(Shape.of(4), one.c().shape());
    }

    @Test
    void paddedStepsChangeNothingAndLengthsMayBeATensor() {
        Rng rng = new Rng(3);
        Gru gru = new Gru(2, 3, new RecurrentConfig(1, true, true, 0, true), DType.FLOAT64, rng);
        Tensor x = randn64(rng, 2, 5, 2);
        Gru.Output padded = gru.run(x, null, Tensors.of(new long[] {5, 3}));
        Tensor garbage = x.clone();
        garbage.select(0, 1).narrow(0, 3, 2).fillInPlace(100);
        Gru.Output other = gru.run(garbage, null, new int[] {5, 3});
        assertArrayEquals(padded.output().toDoubleArray(), other.output().toDoubleArray(), 0);
        assertArrayEquals(padded.h().toDoubleArray(), other.h().toDoubleArray(), 0);
        // the short sequence alone gives the same output and final states
        Gru.Output alone = gru.run(x.narrow(0, 1, 1).narrow(1, 0, 3), null);
        assertArrayEquals(alone.output().toDoubleArray(), padded.output().narrow(0, 1, 1).narrow(1, 0, 3).toDoubleArray(), 1e-12);
        assertArrayEquals(alone.h().toDoubleArray(), padded.h().narrow(1, 1, 1).toDoubleArray(), 1e-12);
        assertTrue(padded.output().narrow(0, 1, 1).narrow(1, 3, 2).abs().max().item() == 0, "padded steps output zero");
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        Tensor x = Tensors.randn(new Rng(4), 6, 3, 4);
        Lstm plain = new Lstm(4, 5, new RecurrentConfig(2, true, false, 0, false), new Rng(7));
        Lstm dropped = new Lstm(4, 5, new RecurrentConfig(2, true, false, 0.5, false), new Rng(7));
        float[] reference = plain.call(x).toFloatArray();
        float[] train = dropped.call(x).toFloatArray();
        assertFalse(java.util.Arrays.equals(reference, train), "training mode drops");
        dropped.eval();
        assertArrayEquals(reference, dropped.call(x).toFloatArray(), "eval mode does not");
        // the same seed reproduces the masks
        assertArrayEquals(train, new Lstm(4, 5, new RecurrentConfig(2, true, false, 0.5, false), new Rng(7)).call(x).toFloatArray());
        // one layer has nothing between layers to drop, as in PyTorch
        Lstm single = new Lstm(4, 5, new RecurrentConfig(1, true, false, 0.9, false), new Rng(8));
        Tensor y1 = single.call(x);
        assertArrayEquals(y1.toFloatArray(), single.call(x).toFloatArray());
    }

    @Test
    void badShapesAndArgumentsNameTheProblem() {
        Rng rng = new Rng(5);
        Lstm lstm = new Lstm(3, 4, new RecurrentConfig(2, true, false, 0, false), rng);
        String msg = assertThrows(ShapeException.class, () -> lstm.call(Tensors.zeros(5, 2, 4))).getMessage();
        assertTrue(msg.contains("inputSize 3") && msg.contains("[5, 2, 4]"), msg);
        assertThrows(ShapeException.class, () -> lstm.call(Tensors.zeros(3)));
        msg = assertThrows(ShapeException.class,
                () -> lstm.run(Tensors.zeros(5, 2, 3), new LstmState(Tensors.zeros(1, 2, 4), Tensors.zeros(2, 2, 4)))).getMessage();
        assertTrue(msg.contains("h0") && msg.contains("[1, 2, 4]"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> lstm.run(Tensors.zeros(5, 2, 3), null, new int[] {5, 6})).getMessage();
        assertTrue(msg.contains("lengths"), msg);
        assertThrows(IllegalArgumentException.class, () -> lstm.run(Tensors.zeros(5, 2, 3), null, new int[] {5}));
        assertThrows(IllegalArgumentException.class, () -> lstm.run(Tensors.zeros(5, 2, 3), null, new int[] {0, 5}));
        assertThrows(IllegalArgumentException.class, () -> new RecurrentConfig(0, true, false, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new RecurrentConfig(1, true, false, 1.5, false));
        assertThrows(IllegalArgumentException.class, () -> new Gru(0, 4, rng));
        LstmCell cell = new LstmCell(3, 4, rng);
        msg = assertThrows(ShapeException.class, () -> cell.forward(Tensors.zeros(2, 3), new LstmState(Tensors.zeros(3, 4), Tensors.zeros(2, 4))))
                .getMessage();
        assertTrue(msg.contains("[2, 4]") && msg.contains("[3, 4]"), msg);
        assertThrows(ShapeException.class, () -> new GruCell(3, 4, rng).call(Tensors.zeros(2, 5)));
    }

    @Test
    void namesAndPrintsAsPyTorch() {
        Rng rng = new Rng(6);
        Gru gru = new Gru(3, 4, new RecurrentConfig(2, false, true, 0.25, true), rng);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse"), List.copyOf(gru.stateDict().keySet()));
        assertEquals(Shape.of(12, 8), gru.stateDict().get("weight_ih_l1").shape());
        assertEquals("Gru(3, 4, num_layers=2, bias=False, batch_first=True, dropout=0.25, bidirectional=True)", gru.toString());
        assertEquals("RnnCell(3, 4, nonlinearity='relu')", new RnnCell(3, 4, true, Rnn.Nonlinearity.RELU, DType.FLOAT32, rng).toString());
        // U(−1/√H, 1/√H)
        Lstm wide = new Lstm(10, 400, rng);
        double bound = 1 / Math.sqrt(400);
        for (Tensor p : wide.parameters()) {
            assertTrue(p.abs().max().item() <= bound, "within the bound");
            assertTrue(p.abs().max().item() > 0.95 * bound, "and spread to it");
        }
    }

    @Test
    void gradientsPassTheFiniteDifferenceCheck() {
        Rng rng = new Rng(7);
        Lstm lstm = new Lstm(2, 3, new RecurrentConfig(2, true, true, 0, true), DType.FLOAT64, rng);
        Tensor x = randn64(rng, 2, 4, 2);
        Tensor h0 = randn64(rng, 4, 2, 3);
        Tensor c0 = randn64(rng, 4, 2, 3);
        String problem = GradCheck.check(in -> {
            Lstm.Output o = lstm.run(in.get(0), new LstmState(in.get(1), in.get(2)), new int[] {4, 2});
            return List.of(o.output(), o.h(), o.c());
        }, List.of(x, h0, c0), new Rng(8));
        assertNull(problem, problem);
        RnnCell cell = new RnnCell(2, 3, true, Rnn.Nonlinearity.TANH, DType.FLOAT64, rng);
        assertNull(GradCheck.check(in -> List.of(cell.forward(in.get(0), in.get(1))), List.of(randn64(rng, 2, 2), randn64(rng, 2, 3)), new Rng(9)));
    }

    @Test
    void anLstmOverfitsOneBatch() {
        Rng rng = new Rng(9);
        Lstm lstm = new Lstm(3, 16, new RecurrentConfig(1, true, true, 0, false), rng);
        Linear head = new Linear(16, 2, true, rng);
        Tensor x = Tensors.randn(rng, 4, 8, 3);
        Tensor y = Tensors.randn(rng, 4, 8, 2);
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        Adam opt = new Adam(params, 0.02);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 150; step++) {
            opt.zeroGrad();
            Tensor loss = head.call(lstm.call(x)).sub(y).square().mean();
            loss.backward();
            opt.step();
            last = loss.item();
            if (step == 0) {
                first = last;
            }
        }
        assertTrue(last < 0.1 * first, "loss " + first + " -> " + last);
    }

    @Test
    void theTokenEntryEqualsEmbeddingThenLstmWithGradients() {
        for (boolean batchFirst : new boolean[] {false, true}) {
            Rng rng = new Rng(10);
            Embedding emb = new Embedding(6, 3, null, DType.FLOAT64, rng);
            Lstm lstm = new Lstm(3, 4, new RecurrentConfig(2, true, batchFirst, 0, true), DType.FLOAT64, rng);
            Tensor tokens = Tensors.randint(rng, 0, 6, 5, 4); // 20 tokens ≥ 6 rows: the fused path
            Tensor up = randn64(rng, 5, 4, 8);
            double[][] fused = runTokens(emb, lstm, tokens, up, true);
            double[][] plain = runTokens(emb, lstm, tokens, up, false);
            for (int i = 0; i < fused.length; i++) {
                assertArrayEquals(plain[i], fused[i], 1e-12, "result " + i + " batchFirst " + batchFirst);
            }
        }
        Rng rng = new Rng(11);
        Lstm lstm = new Lstm(3, 4, RecurrentConfig.DEFAULT, DType.FLOAT64, rng);
        Tensor tokens = Tensors.randint(rng, 0, 6, 5, 2);
        Embedding padded = new Embedding(6, 3, 0, DType.FLOAT64, rng);
        assertArrayEquals(lstm.run(padded.call(tokens)).output().toDoubleArray(), lstm.run(padded, tokens, null).output().toDoubleArray(), 1e-12);
        Embedding large = new Embedding(50, 3, null, DType.FLOAT64, rng);
        assertArrayEquals(lstm.run(large.call(tokens)).output().toDoubleArray(), lstm.run(large, tokens, null).output().toDoubleArray(), 1e-12);
        assertThrows(ShapeException.class, () -> lstm.run(new Embedding(6, 5, null, rng), tokens, null));
        assertThrows(ShapeException.class, () -> lstm.run(large, tokens.to(DType.FLOAT32), null));
    }

    /** Output, h, c, then the gradients of the embedding and of every LSTM parameter. */
    private static double[][] runTokens(Embedding emb, Lstm lstm, Tensor tokens, Tensor up, boolean fused) {
        emb.zeroGrad();
        lstm.zeroGrad();
        Lstm.Output o = fused ? lstm.run(emb, tokens, null) : lstm.run(emb.call(tokens));
        o.output().mul(up).sum().add(o.h().sum()).add(o.c().sum()).backward();
        List<double[]> out = new ArrayList<>(List.of(o.output().toDoubleArray(), o.h().toDoubleArray(), o.c().toDoubleArray(),
                emb.weight.grad().toDoubleArray()));
        for (Tensor p : lstm.parameters()) {
            out.add(p.grad().toDoubleArray());
        }
        return out.toArray(new double[0][]);
    }
}
