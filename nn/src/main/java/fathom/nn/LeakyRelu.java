package fathom.nn;

import fathom.Tensor;

/** x for x > 0, else negativeSlope·x, element-wise, any shape (PyTorch's {@code nn.LeakyReLU}; default slope 0.01). */
public final class LeakyRelu extends Module {
    public final double negativeSlope;

    public LeakyRelu() {
        this(0.01);
    }

    public LeakyRelu(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.leakyRelu(negativeSlope);
    }
}
