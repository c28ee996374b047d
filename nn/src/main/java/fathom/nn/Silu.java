package fathom.nn;

import fathom.Tensor;

/** x·sigmoid(x) element-wise, any shape (PyTorch's {@code nn.SiLU}, also called swish). */
public final class Silu extends Module {
    public Silu() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.silu();
    }
}
