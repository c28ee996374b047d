package fathom.nn;

import fathom.Tensor;

/**
 * 0.5·d² where |d| &lt; δ, else δ·(|d| − 0.5·δ), with d = x − y element-wise, then reduced (PyTorch's
 * {@code nn.HuberLoss}; defaults MEAN, δ = 1). It is δ times the smooth L1 loss with β = δ.
 */
public record HuberLoss(Reduction reduction, double delta) implements Loss {
    public HuberLoss {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("HuberLoss: delta must be > 0, got " + delta);
        }
    }

    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkSameShape("HuberLoss", input, target);
        Tensor d = input.sub(target);
        Tensor ad = d.abs();
        return Loss.reduce(Tensor.where(ad.lt(delta), d.square().mul(0.5), ad.sub(0.5 * delta).mul(delta)), reduction);
    }
}
