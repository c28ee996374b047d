package fathom.nn;

import fathom.Tensor;

/** xᵢ − log Σⱼ exp(xⱼ) along {@code dim}, any shape (PyTorch's {@code nn.LogSoftmax}); stable for large x. */
public final class LogSoftmax extends Module {
    public final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }
}
