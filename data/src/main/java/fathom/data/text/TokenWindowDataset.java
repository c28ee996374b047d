package fathom.data.text;

import fathom.Tensor;
import fathom.Tensors;
import fathom.data.Batch;
import fathom.data.Dataset;
import fathom.data.Example;
import java.util.Objects;
import java.util.Optional;

/**
 * Windows of a token stream for next-token prediction: sample i is (input, target) with input the
 * {@code window} tokens starting at {@code i·stride} and target the same window shifted by one token,
 * both int64 [window]. The last window ends where one more token is still there for its target.
 *
 * <p>{@link #split} cuts the stream itself (the first part for training, the last for validation),
 * so no window of one side holds tokens of the other. The tokens are shared, not copied.
 */
public final class TokenWindowDataset implements Dataset {
    private final int[] tokens;
    private final int from;
    private final int to;
    private final int window;
    private final int stride;

    /** Non-overlapping windows (stride = window) over all of {@code tokens}. */
    public TokenWindowDataset(int[] tokens, int window) {
        this(tokens, 0, tokens.length, window, window);
    }

    /** Windows starting every {@code stride} tokens over all of {@code tokens}. */
    public TokenWindowDataset(int[] tokens, int window, int stride) {
        this(tokens, 0, tokens.length, window, stride);
    }

    private TokenWindowDataset(int[] tokens, int from, int to, int window, int stride) {
        Objects.requireNonNull(tokens, "tokens");
        if (window < 1 || stride < 1) {
            throw new IllegalArgumentException("TokenWindowDataset: window and stride must be at least 1, got " + window + " and " + stride);
        }
        this.tokens = tokens;
        this.from = from;
        this.to = to;
        this.window = window;
        this.stride = stride;
    }

    /** The train and validation sides of a stream cut at a token boundary. */
    public record Split(TokenWindowDataset train, TokenWindowDataset validation) {}

    /**
     * The first (1 − validationFraction) of the tokens as training windows, the rest as validation
     * windows, each of {@code window} tokens with stride = window.
     */
    public static Split split(int[] tokens, int window, double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
        int cut = (int) Math.round(tokens.length * (1 - validationFraction));
        return new Split(new TokenWindowDataset(tokens, 0, cut, window, window), new TokenWindowDataset(tokens, cut, tokens.length, window, window));
    }

    /** Tokens per window. */
    public int window() {
        return window;
    }

    @Override
    public int size() {
        int n = to - from;
        return n <= window ? 0 : (n - window - 1) / stride + 1;
    }

    @Override
    public Example get(int index) {
        Objects.checkIndex(index, size());
        int start = from + index * stride;
        return new Example(slice(start), slice(start + 1));
    }

    @Override
    public Optional<Batch> select(int[] indices) {
        long[] in = new long[indices.length * window];
        long[] out = new long[indices.length * window];
        for (int r = 0; r < indices.length; r++) {
            int start = from + Objects.checkIndex(indices[r], size()) * stride;
            for (int j = 0; j < window; j++) {
                in[r * window + j] = tokens[start + j];
                out[r * window + j] = tokens[start + 1 + j];
            }
        }
        return Optional.of(new Batch(Tensors.of(in, indices.length, window), Tensors.of(out, indices.length, window)));
    }

    private Tensor slice(int start) {
        long[] v = new long[window];
        for (int j = 0; j < window; j++) {
            v[j] = tokens[start + j];
        }
        return Tensors.of(v, window);
    }
}
