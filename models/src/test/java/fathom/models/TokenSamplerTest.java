package fathom.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fathom.DType;
import fathom.Rng;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import org.junit.jupiter.api.Test;

/** Greedy, temperature, top-k and top-p sampling choose what their definitions say, at the frequencies softmax gives. */
class TokenSamplerTest {
    /** One row with probabilities 0.5, 0.3, 0.15, 0.05 (shuffled positions). */
    private static final double[] P = {0.15, 0.5, 0.05, 0.3};

    private static Tensor logits(int rows) {
        double[] v = new double[rows * P.length];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < P.length; i++) {
                v[r * P.length + i] = Math.log(P[i]) + 3; // a shift changes nothing
            }
        }
        return Tensors.of(v, rows, P.length).to(DType.FLOAT32);
    }

    private static double[] frequencies(TokenSampler s, int n) {
        long[] picks = s.sample(logits(n), new Rng(1)).toLongArray();
        double[] f = new double[P.length];
        for (long p : picks) {
            f[(int) p] += 1.0 / n;
        }
        return f;
    }

    @Test
    void greedyAndItsLimits() {
        Tensor l = Tensors.of(new float[] {0.1f, 2f, 2f, -1f, 5f, 0f}, 2, 3);
        assertArrayEquals(new long[] {1, 1}, TokenSampler.greedy().sample(l, null).toLongArray(), "the first largest");
        assertArrayEquals(new long[] {1, 1, 1}, TokenSampler.ofTopK(1, 1.0).sample(logits(3), new Rng(2)).toLongArray());
        // ties with the k-th logit are kept, as Hugging Face's top-k does: row 0 holds two tokens at 2
        long[] tied = TokenSampler.ofTopK(1, 1.0).sample(Tensors.of(new float[] {0.1f, 2f, 2f}, 1, 3), new Rng(4)).toLongArray();
        assertEquals(true, tied[0] == 1 || tied[0] == 2);
        assertArrayEquals(new long[] {1, 1, 1}, TokenSampler.ofTopP(1e-9, 1.0).sample(logits(3), new Rng(3)).toLongArray());
    }

    @Test
    void temperatureOneSamplesTheSoftmax() {
        double[] f = frequencies(TokenSampler.ofTemperature(1.0), 40_000);
        for (int i = 0; i < P.length; i++) {
            assertEquals(P[i], f[i], 0.01, "token " + i);
        }
    }

    @Test
    void temperatureSharpens() {
        double[] f = frequencies(TokenSampler.ofTemperature(0.5), 40_000);
        double z = 0;
        for (double p : P) {
            z += p * p;
        }
        for (int i = 0; i < P.length; i++) {
            assertEquals(P[i] * P[i] / z, f[i], 0.01, "token " + i);
        }
    }

    @Test
    void topKAndTopPRenormalizeOverTheKeptTokens() {
        double[] k2 = frequencies(TokenSampler.ofTopK(2, 1.0), 40_000);
        assertArrayEquals(new double[] {0, 0.5 / 0.8, 0, 0.3 / 0.8}, k2, 0.01);
        // 0.5 < 0.75 ≤ 0.5 + 0.3: the two most likely tokens hold the nucleus
        double[] p75 = frequencies(TokenSampler.ofTopP(0.75, 1.0), 40_000);
        assertArrayEquals(new double[] {0, 0.5 / 0.8, 0, 0.3 / 0.8}, p75, 0.01);
        double[] p90 = frequencies(TokenSampler.ofTopP(0.9, 1.0), 40_000);
        assertArrayEquals(new double[] {0.15 / 0.95, 0.5 / 0.95, 0, 0.3 / 0.95}, p90, 0.01);
    }

    @Test
    void aSeedReproducesAndBadArgumentsAreNamed() {
        TokenSampler s = TokenSampler.ofTopK(3, 1.3);
        assertArrayEquals(s.sample(logits(50), new Rng(9)).toLongArray(), s.sample(logits(50), new Rng(9)).toLongArray());
        assertThrows(IllegalArgumentException.class, () -> new TokenSampler(-1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenSampler(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenSampler(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TokenSampler.ofTemperature(1).sample(logits(1), null));
        assertThrows(ShapeException.class, () -> TokenSampler.greedy().sample(Tensors.zeros(4), null));
    }
}
