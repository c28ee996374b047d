package fathom.nn;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.backend.RecurrentMode;

/**
 * A multi-layer Elman RNN (PyTorch's {@code nn.RNN}): per step h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)
 * with act tanh (the default) or relu. Input [T, B, inputSize] gives output [T, B, D·H] and the final
 * state h [L·D, B, H]; see {@link RecurrentLayer} for the rest.
 */
public final class Rnn extends RecurrentLayer {
    /** The activation of an {@link Rnn} or {@link RnnCell}. */
    public enum Nonlinearity {
        TANH,
        RELU
    }

    /** What {@link #run} returns: the output of every step and the final state h [L·D, B, H]. */
    public record Output(Tensor output, Tensor h) {}

    public final Nonlinearity nonlinearity;

    /** One tanh layer, biases, time-major, float32. */
    public Rnn(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, Nonlinearity.TANH, RecurrentConfig.DEFAULT, DType.FLOAT32, rng);
    }

    public Rnn(int inputSize, int hiddenSize, Nonlinearity nonlinearity, RecurrentConfig config, Rng rng) {
        this(inputSize, hiddenSize, nonlinearity, config, DType.FLOAT32, rng);
    }

    public Rnn(int inputSize, int hiddenSize, Nonlinearity nonlinearity, RecurrentConfig config, DType dtype, Rng rng) {
        super(nonlinearity == Nonlinearity.RELU ? RecurrentMode.RNN_RELU : RecurrentMode.RNN_TANH, inputSize, hiddenSize, config, dtype, rng);
        this.nonlinearity = nonlinearity;
    }

    /** The output and final state of a run from h0 (null for zeros). */
    public Output run(Tensor input, Tensor h0) {
        return run(input, h0, (int[]) null);
    }

    /** As {@link #run(Tensor, Tensor)} for padded sequences of the given lengths (one per batch entry, 1..T). */
    public Output run(Tensor input, Tensor h0, int[] lengths) {
        Tensor[] r = runStack(input, h0, null, lengths);
        return new Output(r[0], r[1]);
    }

    /** As {@link #run(Tensor, Tensor, int[])} with the lengths as an integer tensor [B]. */
    public Output run(Tensor input, Tensor h0, Tensor lengths) {
        return run(input, h0, lengths(lengths));
    }
}
