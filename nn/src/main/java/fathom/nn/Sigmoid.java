package fathom.nn;

import fathom.Tensor;

/** 1 / (1 + e⁻ˣ) element-wise, any shape (PyTorch's {@code nn.Sigmoid}). */
public final class Sigmoid extends Module {
    public Sigmoid() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
