package fathom.nn;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.backend.RecurrentMode;

/**
 * A multi-layer LSTM (PyTorch's {@code nn.LSTM}): per step i, f, g, o = σ, σ, tanh, σ of
 * x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, c' = f·c + i·g, h' = o·tanh(c'). Input [T, B, inputSize]
 * ([B, T, inputSize] batch-first, [T, inputSize] unbatched) gives output [T, B, D·H] and final states
 * h, c [L·D, B, H]. Parameters, initialization, lengths, dropout and directions: see {@link RecurrentLayer}.
 *
 * <p>{@link #forward} returns the output alone, as a {@link Module} must; {@link #run} takes initial
 * states and sequence lengths and returns the final states too.
 */
public final class Lstm extends RecurrentLayer {
    /** What {@link #run} returns: the output of every step and the final states, h and c [L·D, B, H]. */
    public record Output(Tensor output, Tensor h, Tensor c) {
        /** The final states, to pass as the next run's initial state. */
        public LstmState state() {
            return new LstmState(h, c);
        }
    }

    /** One layer, biases, time-major, float32. */
    public Lstm(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, RecurrentConfig.DEFAULT, DType.FLOAT32, rng);
    }

    /** Float32; {@code rng} initializes the weights and later draws the dropout masks. */
    public Lstm(int inputSize, int hiddenSize, RecurrentConfig config, Rng rng) {
        this(inputSize, hiddenSize, config, DType.FLOAT32, rng);
    }

    public Lstm(int inputSize, int hiddenSize, RecurrentConfig config, DType dtype, Rng rng) {
        super(RecurrentMode.LSTM, inputSize, hiddenSize, config, dtype, rng);
    }

    /** The output and final states of a run from zero states. */
    public Output run(Tensor input) {
        return run(input, null, (int[]) null);
    }

    /** The output and final states of a run from {@code initial} (null for zeros). */
    public Output run(Tensor input, LstmState initial) {
        return run(input, initial, (int[]) null);
    }

    /** As {@link #run(Tensor, LstmState)} for padded sequences of the given lengths (one per batch entry, 1..T). */
    public Output run(Tensor input, LstmState initial, int[] lengths) {
        Tensor[] r = runStack(input, initial == null ? null : initial.h(), initial == null ? null : initial.c(), lengths);
        return new Output(r[0], r[1], r[2]);
    }

    /**
     * {@code run(embedding.call(tokens), initial)}, computed faster: the first layer's input projection of
     * an embedded token is a row of the table E·W_ihᵀ + b_ih [V, 4H], so when the vocabulary V is at most
     * the number of tokens the product (and each of its gradients) costs V·E·4H multiply-adds instead of
     * T·B·E·4H. Tokens are integers [T, B] ([B, T] batch-first, [T] unbatched); the results equal the
     * unfused ones up to float rounding. An embedding with a padding index runs unfused.
     */
    public Output run(Embedding embedding, Tensor tokens, LstmState initial) {
        Tensor[] r = runStackTokens(embedding, tokens, initial == null ? null : initial.h(), initial == null ? null : initial.c(), null);
        return new Output(r[0], r[1], r[2]);
    }

    /** As {@link #run(Tensor, LstmState, int[])} with the lengths as an integer tensor [B]. */
    public Output run(Tensor input, LstmState initial, Tensor lengths) {
        return run(input, initial, lengths(lengths));
    }
}
