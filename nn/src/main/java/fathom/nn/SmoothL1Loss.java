package fathom.nn;

import fathom.Tensor;

/**
 * 0.5·d²/β where |d| &lt; β, else |d| − 0.5·β, with d = x − y element-wise, then reduced (PyTorch's
 * {@code nn.SmoothL1Loss}; defaults MEAN, β = 1; β = 0 is the L1 loss).
 */
public record SmoothL1Loss(Reduction reduction, double beta) implements Loss {
    public SmoothL1Loss {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be ≥ 0, got " + beta);
        }
    }

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkSameShape("SmoothL1Loss", input, target);
        Tensor d = input.sub(target);
        Tensor ad = d.abs();
        if (beta == 0) {
            return Loss.reduce(ad, reduction);
        }
        return Loss.reduce(Tensor.where(ad.lt(beta), d.square().mul(0.5 / beta), ad.sub(0.5 * beta)), reduction);
    }
}
