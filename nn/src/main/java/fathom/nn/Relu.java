package fathom.nn;

import fathom.Tensor;

/** max(x, 0) element-wise, any shape (PyTorch's {@code nn.ReLU}). */
public final class Relu extends Module {
    public Relu() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
