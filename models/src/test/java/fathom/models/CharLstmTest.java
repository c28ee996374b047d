package fathom.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.LstmState;
import fathom.optim.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The character LSTM: PyTorch's state-dict keys, step-by-step generation equal to the full forward pass, learning, reproducibility. */
class CharLstmTest {
    private static final CharLstm.Config SMALL = new CharLstm.Config(11, 8, 24, 2, 0.1);

    @Test
    void stateDictKeysAreThoseOfTheSameTorchModule() {
        CharLstm m = new CharLstm(SMALL, new Rng(1));
        // list(M().state_dict()) for a torch module with embedding = nn.Embedding, lstm = nn.LSTM(num_layers=2), head = nn.Linear
        assertEquals(List.of("embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
                "lstm.weight_ih_l1", "lstm.weight_hh_l1", "lstm.bias_ih_l1", "lstm.bias_hh_l1", "head.weight", "head.bias"),
                List.copyOf(m.stateDict().keySet()));
        CharLstm standard = new CharLstm(CharLstm.Config.standard(65), new Rng(2));
        assertEquals(Shape.of(1024, 64), standard.stateDict().get("lstm.weight_ih_l0").shape());
        assertEquals(Shape.of(65, 256), standard.stateDict().get("head.weight").shape());
    }

    @Test
    void generatingStepByStepGivesTheLogitsOfTheWholeSequence() {
        CharLstm m = new CharLstm(SMALL, new Rng(3));
        m.eval();
        Tensor tokens = Tensors.randint(new Rng(4), 0, 11, 3, 7);
        Tensor logits = m.call(tokens);
        assertEquals(Shape.of(3, 7, 11), logits.shape());
        LstmState state = null;
        for (int t = 0; t < 7; t++) {
            CharLstm.Step s = m.step(tokens.select(1, t), state);
            assertArrayEquals(logits.select(1, t).toFloatArray(), s.logits().toFloatArray(), 1e-5f, "position " + t);
            state = s.state();
        }
        assertEquals(Shape.of(2, 3, 24), state.h().shape());
        assertThrows(ShapeException.class, () -> m.call(Tensors.zeros(3, 7)));
        assertThrows(ShapeException.class, () -> m.step(tokens, null));
    }

    /** The loss of each of {@code steps} Adam steps predicting the next token of a fixed batch. */
    private static double[] train(int steps, long seed) {
        Rng rng = new Rng(seed);
        CharLstm m = new CharLstm(SMALL, rng);
        Tensor text = Tensors.randint(new Rng(5), 0, 11, 4, 13);
        Tensor x = text.narrow(1, 0, 12);
        Tensor y = text.narrow(1, 1, 12);
        Adam opt = new Adam(m.parameters(), 0.02);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        double[] losses = new double[steps];
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Tensor loss = ce.apply(m.call(x).reshape(-1, 11), y.reshape(-1));
            loss.backward();
            opt.step();
            losses[i] = loss.item();
        }
        return losses;
    }

    @Test
    void oneBatchIsMemorizedAndASeedReproducesTheLossCurve() {
        double[] a = train(60, 7);
        assertTrue(a[a.length - 1] < 0.2 * a[0], "loss " + a[0] + " -> " + a[a.length - 1]);
        // A seeded run repeats bit for bit, also on the vector backend: the first run starts cold (interpreted
        // and C1 code), the second runs warm (C2), and every kernel gives the same bits on every JIT tier
        // (Fathom's own exp instead of the JDK's lanewise(EXP), lane sums in a fixed order).
        double[] b = train(60, 7);
        assertArrayEquals(a, b, "the same seed (dropout masks included) gives the same loss curve");
        assertTrue(Math.abs(train(3, 8)[2] - a[2]) > 1e-3, "another seed gives another curve");
    }
}
