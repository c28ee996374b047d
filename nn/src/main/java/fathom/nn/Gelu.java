package fathom.nn;

import fathom.Tensor;

/**
 * x·Φ(x) element-wise with Φ the standard normal CDF, any shape (PyTorch's {@code nn.GELU}); with
 * {@code approximate = TANH}, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 */
public final class Gelu extends Module {
    /** PyTorch's {@code approximate} argument: 'none' or 'tanh'. */
    public enum Approximate { NONE, TANH }

    public final Approximate approximate;

    /** The exact GELU. */
    public Gelu() {
        this(Approximate.NONE);
    }

    public Gelu(Approximate approximate) {
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return approximate == Approximate.TANH ? input.geluTanh() : input.gelu();
    }
}
