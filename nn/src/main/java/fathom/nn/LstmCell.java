package fathom.nn;

import fathom.DType;
import fathom.Recurrent;
import fathom.Rng;
import fathom.Tensor;

/**
 * One LSTM step (PyTorch's {@code nn.LSTMCell}): i, f, g, o = σ, σ, tanh, σ of x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh,
 * c' = f·c + i·g, h' = o·tanh(c'); x [B, inputSize], h and c [B, H] (or unbatched [inputSize], [H]). The gate
 * nonlinearities and state update are one fused op ({@link Recurrent#lstmCell}). Parameters: see {@link RecurrentCell}.
 */
public final class LstmCell extends RecurrentCell {
    public LstmCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, DType.FLOAT32, rng);
    }

    public LstmCell(int inputSize, int hiddenSize, boolean bias, DType dtype, Rng rng) {
        super(4, inputSize, hiddenSize, bias, dtype, rng);
    }

    /** h' from zero states (a {@link Module} returns one tensor; {@link #forward(Tensor, LstmState)} gives c' too). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).h();
    }

    /** The next state (h', c') from {@code state} (null for zeros). */
    public LstmState forward(Tensor input, LstmState state) {
        boolean batched = input.dim() == 2;
        Tensor x = batchedInput(input);
        Tensor h = batchedState("h", state == null ? null : state.h(), input, batched);
        Tensor c = batchedState("c", state == null ? null : state.c(), input, batched);
        Tensor hc = Recurrent.lstmCell(inputProjection(x).add(hiddenProjection(h)), c);
        Tensor h2 = hc.narrow(1, 0, hiddenSize);
        Tensor c2 = hc.narrow(1, hiddenSize, hiddenSize);
        return batched ? new LstmState(h2, c2) : new LstmState(h2.squeeze(0), c2.squeeze(0));
    }
}
