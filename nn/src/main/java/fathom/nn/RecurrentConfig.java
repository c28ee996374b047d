package fathom.nn;

/**
 * The options every recurrent layer ({@link Rnn}, {@link Lstm}, {@link Gru}) shares, in PyTorch's
 * argument order and with its defaults ({@link #DEFAULT}: one layer, biases, time-major input, no
 * dropout, one direction).
 *
 * @param numLayers stacked layers, each reading the previous one's output (≥ 1)
 * @param bias whether the layers have {@code bias_ih} and {@code bias_hh}
 * @param batchFirst inputs and outputs are [B, T, F] instead of [T, B, F] (states stay [L·D, B, H])
 * @param dropout probability of zeroing an element of each layer's output but the last, in training only
 * @param bidirectional whether each layer also runs the sequence backwards (D = 2), concatenating both outputs
 */
public record RecurrentConfig(int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
    /** One layer with biases, time-major, no dropout, one direction. */
    public static final RecurrentConfig DEFAULT = new RecurrentConfig(1, true, false, 0, false);

    public RecurrentConfig {
        if (numLayers < 1) {
            throw new IllegalArgumentException("numLayers must be at least 1, got " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got " + dropout);
        }
    }

    /** Directions per layer: 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }
}
