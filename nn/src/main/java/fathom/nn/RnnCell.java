package fathom.nn;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;

/**
 * One Elman RNN step (PyTorch's {@code nn.RNNCell}): h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) with act
 * tanh (the default) or relu; x [B, inputSize], h [B, H] (or unbatched). Parameters: see {@link RecurrentCell}.
 */
public final class RnnCell extends RecurrentCell {
    public final Rnn.Nonlinearity nonlinearity;

    public RnnCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, Rnn.Nonlinearity.TANH, DType.FLOAT32, rng);
    }

    public RnnCell(int inputSize, int hiddenSize, boolean bias, Rnn.Nonlinearity nonlinearity, DType dtype, Rng rng) {
        super(1, inputSize, hiddenSize, bias, dtype, rng);
        this.nonlinearity = nonlinearity;
    }

    /** h' from a zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** h' from h (null for zeros). */
    public Tensor forward(Tensor input, Tensor h) {
        boolean batched = input.dim() == 2;
        Tensor x = batchedInput(input);
        Tensor hb = batchedState("h", h, input, batched);
        Tensor pre = inputProjection(x).add(hiddenProjection(hb));
        Tensor h2 = nonlinearity == Rnn.Nonlinearity.RELU ? pre.relu() : pre.tanh();
        return batched ? h2 : h2.squeeze(0);
    }

    @Override
    public String toString() {
        String base = super.toString();
        return nonlinearity == Rnn.Nonlinearity.TANH ? base : base.substring(0, base.length() - 1) + ", nonlinearity='relu')";
    }
}
