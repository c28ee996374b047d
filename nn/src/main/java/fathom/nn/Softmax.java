package fathom.nn;

import fathom.Tensor;

/** exp(xᵢ) / Σⱼ exp(xⱼ) along {@code dim}, any shape (PyTorch's {@code nn.Softmax}); stable for large x. */
public final class Softmax extends Module {
    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }
}
