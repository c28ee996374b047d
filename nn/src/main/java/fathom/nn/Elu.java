package fathom.nn;

import fathom.Tensor;

/** x for x > 0, else alpha·(eˣ − 1), element-wise, any shape (PyTorch's {@code nn.ELU}; default alpha 1). */
public final class Elu extends Module {
    public final double alpha;

    public Elu() {
        this(1.0);
    }

    public Elu(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.elu(alpha);
    }
}
