package fathom.nn;

import fathom.Tensor;

/**
 * ℓᵢ = −w[yᵢ]·x[i, yᵢ] for log-probabilities x [N, C] or [N, C, d...] (or [C]) and class indices y
 * [N] or [N, d...] (int64), then reduced (PyTorch's {@code nn.NLLLoss}). Targets equal to
 * {@code ignoreIndex} contribute 0 and are left out of the MEAN, which divides by Σ w[yᵢ] over the
 * other targets. {@code weight} [C] may be null (all ones). Defaults: no weight, ignoreIndex −100, MEAN.
 */
public record NllLoss(Tensor weight, int ignoreIndex, Reduction reduction) implements Loss {
    public NllLoss() {
        this(null, -100, Reduction.MEAN);
    }

    public NllLoss(Reduction reduction) {
        this(null, -100, reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkInput("NllLoss", input, target);
        return Losses.classIndices("NllLoss", input, target, weight, ignoreIndex, reduction, 0);
    }
}
