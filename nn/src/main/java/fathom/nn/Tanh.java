package fathom.nn;

import fathom.Tensor;

/** tanh(x) element-wise, any shape (PyTorch's {@code nn.Tanh}). */
public final class Tanh extends Module {
    public Tanh() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
