package fathom.nn;

import fathom.Tensor;

/**
 * The hidden and cell state of an LSTM: [B, H] each for an {@link LstmCell}, [L·D, B, H] for an
 * {@link Lstm} (layer l, direction d at index l·D + d, as PyTorch's {@code (h_n, c_n)}).
 */
public record LstmState(Tensor h, Tensor c) {
    public LstmState {
        if (h == null || c == null) {
            throw new IllegalArgumentException("LstmState needs both h and c (pass null for the whole state to start from zeros)");
        }
    }
}
