package fathom.nn;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.backend.RecurrentMode;

/**
 * A multi-layer GRU (PyTorch's {@code nn.GRU}): per step r = σ(x_r + h_r), z = σ(x_z + h_z),
 * n = tanh(x_n + r·h_n), h' = (1 − z)·n + z·h, where x_* are blocks of x·W_ihᵀ + b_ih and h_* of
 * h·W_hhᵀ + b_hh (so b_hn sits inside r·(…), as in PyTorch). Input [T, B, inputSize] gives output
 * [T, B, D·H] and the final state h [L·D, B, H]; see {@link RecurrentLayer} for the rest.
 */
public final class Gru extends RecurrentLayer {
    /** What {@link #run} returns: the output of every step and the final state h [L·D, B, H]. */
    public record Output(Tensor output, Tensor h) {}

    /** One layer, biases, time-major, float32. */
    public Gru(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, RecurrentConfig.DEFAULT, DType.FLOAT32, rng);
    }

    public Gru(int inputSize, int hiddenSize, RecurrentConfig config, Rng rng) {
        this(inputSize, hiddenSize, config, DType.FLOAT32, rng);
    }

    public Gru(int inputSize, int hiddenSize, RecurrentConfig config, DType dtype, Rng rng) {
        super(RecurrentMode.GRU, inputSize, hiddenSize, config, dtype, rng);
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
