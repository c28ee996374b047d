package fathom.nn;

import fathom.Tensor;

/**
 * ℓ = −w·(y·log x + (1 − y)·log(1 − x)) element-wise for probabilities x and targets y of one shape,
 * then reduced (PyTorch's {@code nn.BCELoss}); each log is clamped at −100, as PyTorch does, so that
 * x = 0 or 1 gives a finite loss. {@code weight} (broadcast to the input) may be null. Default MEAN.
 */
public record BceLoss(Tensor weight, Reduction reduction) implements Loss {
    public BceLoss() {
        this(null, Reduction.MEAN);
    }

    public BceLoss(Reduction reduction) {
        this(null, reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkSameShape("BceLoss", input, target);
        Tensor logX = input.log().clampMin(-100);
        Tensor log1mX = input.rsub(1).log().clampMin(-100);
        Tensor loss = target.sub(1).mul(log1mX).sub(target.mul(logX));
        return Loss.reduce(weight == null ? loss : loss.mul(weight), reduction);
    }
}
