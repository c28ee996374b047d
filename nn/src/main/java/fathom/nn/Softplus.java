package fathom.nn;

import fathom.Tensor;

/**
 * (1/β)·log(1 + e^(β·x)) element-wise, any shape, and x itself where β·x > threshold (PyTorch's
 * {@code nn.Softplus}; defaults β = 1, threshold = 20).
 */
public final class Softplus extends Module {
    public final double beta;
    public final double threshold;

    public Softplus() {
        this(1, 20);
    }

    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (threshold == 20) {
            // the core op has PyTorch's threshold 20, applied to β·x as PyTorch applies it
            return beta == 1 ? input.softplus() : input.mul(beta).softplus().div(beta);
        }
        Tensor bx = input.mul(beta);
        // where() would pass 0·∞ = NaN back through an overflowed exp, so exp sees min(β·x, threshold)
        return Tensor.where(bx.gt(threshold), input, bx.clampMax(threshold).exp().log1p().div(beta));
    }
}
