package fathom.models;

import fathom.DType;
import fathom.Rng;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;

/**
 * Picks the next token from logits [B, V], giving int64 [B]: greedy (the first largest logit) when
 * {@code temperature} is 0, else a draw from softmax(logits / temperature) restricted to the
 * {@code topK} largest logits (0 = all; ties with the k-th are kept, as Hugging Face does) and then to
 * the smallest set of most probable tokens whose probability reaches {@code topP} (1 = all; at least
 * one token is kept). One {@link Rng#nextDouble()} per row when sampling, none when greedy, so a seed
 * reproduces the choice.
 */
public record TokenSampler(double temperature, int topK, double topP) {
    public TokenSampler {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("TokenSampler: temperature must be finite and ≥ 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("TokenSampler: topK must be ≥ 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("TokenSampler: topP must be in (0, 1] (1 = off), got " + topP);
        }
    }

    /** Always the most likely token. */
    public static TokenSampler greedy() {
        return new TokenSampler(0, 0, 1);
    }

    /** A draw from softmax(logits / temperature) over every token. */
    public static TokenSampler ofTemperature(double temperature) {
        return new TokenSampler(temperature, 0, 1);
    }

    /** A draw among the k most likely tokens. */
    public static TokenSampler ofTopK(int k, double temperature) {
        return new TokenSampler(temperature, k, 1);
    }

    /** Nucleus sampling: a draw among the most likely tokens holding probability p. */
    public static TokenSampler ofTopP(double p, double temperature) {
        return new TokenSampler(temperature, 0, p);
    }

    /** One token per row of logits [B, V]; rng may be null when greedy. */
    public Tensor sample(Tensor logits, Rng rng) {
        if (logits.dim() != 2 || logits.size(1) == 0) {
            throw new ShapeException("TokenSampler expects logits [B, V] with V ≥ 1, got " + logits.shape());
        }
        if (temperature > 0 && rng == null) {
            throw new IllegalArgumentException("TokenSampler: sampling at temperature " + temperature + " needs an rng, got null");
        }
        int b = logits.size(0);
        int v = logits.size(1);
        double[] all = logits.detach().toDoubleArray();
        long[] out = new long[b];
        for (int r = 0; r < b; r++) {
            double[] row = java.util.Arrays.copyOfRange(all, r * v, (r + 1) * v);
            out[r] = temperature == 0 ? argmax(row) : draw(row, rng);
        }
        return Tensors.of(out, b);
    }

    private static int argmax(double[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    private int draw(double[] row, Rng rng) {
        int v = row.length;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : row) {
            max = Math.max(max, x);
        }
        double kth = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < v) {
            double[] sorted = row.clone();
            java.util.Arrays.sort(sorted);
            kth = sorted[v - topK];
        }
        double[] p = new double[v];
        double total = 0;
        for (int i = 0; i < v; i++) {
            p[i] = row[i] < kth ? 0 : Math.exp((row[i] - max) / temperature);
            total += p[i];
        }
        if (topP < 1) {
            Integer[] order = new Integer[v];
            for (int i = 0; i < v; i++) {
                order[i] = i;
            }
            double[] pp = p;
            java.util.Arrays.sort(order, (a, c) -> Double.compare(pp[c], pp[a]));
            double kept = 0;
            int i = 0;
            for (; i < v && kept < topP * total; i++) {
                kept += p[order[i]];
            }
            for (int j = Math.max(i, 1); j < v; j++) {
                p[order[j]] = 0;
            }
            total = 0;
            for (double x : p) {
                total += x;
            }
        }
        double u = rng.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < v; i++) {
            if (p[i] > 0) {
                last = i;
                u -= p[i];
                if (u < 0) {
                    return i;
                }
            }
        }
        return last;
    }
}
