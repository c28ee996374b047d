package fathom.nn;

import fathom.DType;
import fathom.Recurrent;
import fathom.Rng;
import fathom.Tensor;

/**
 * One GRU step (PyTorch's {@code nn.GRUCell}): r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n),
 * h' = (1 − z)·n + z·h with x_* blocks of x·W_ihᵀ + b_ih and h_* of h·W_hhᵀ + b_hh; x [B, inputSize],
 * h [B, H] (or unbatched). The gates and update are one fused op ({@link Recurrent#gruCell}).
 */
public final class GruCell extends RecurrentCell {
    public GruCell(int inputSize, int hiddenSize, Rng rng) {
        this(inputSize, hiddenSize, true, DType.FLOAT32, rng);
    }

    public GruCell(int inputSize, int hiddenSize, boolean bias, DType dtype, Rng rng) {
        super(3, inputSize, hiddenSize, bias, dtype, rng);
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
        Tensor h2 = Recurrent.gruCell(inputProjection(x), hiddenProjection(hb), hb);
        return batched ? h2 : h2.squeeze(0);
    }
}
