package fathom.nn;

import fathom.ShapeException;
import fathom.Tensor;

/**
 * ℓ = w·((1 − y)·x + (1 + (p − 1)·y)·softplus(−x)) element-wise for logits x and targets y of one shape,
 * then reduced (PyTorch's {@code nn.BCEWithLogitsLoss}): binary cross-entropy of sigmoid(x), which for
 * p = 1 is max(x, 0) − x·y + log(1 + e^(−|x|)). Computed in that stable form, so logits of any size give
 * finite losses and gradients (sigmoid(x) − y, scaled). {@code weight} (broadcast to the input) and
 * {@code posWeight} p (broadcast along the last, class, dimension) may be null. Default MEAN.
 */
public record BceWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) implements Loss {
    public BceWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    public BceWithLogitsLoss(Reduction reduction) {
        this(null, reduction, null);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkSameShape("BceWithLogitsLoss", input, target);
        if (posWeight != null && posWeight.dim() > 0 && (input.dim() == 0 || posWeight.size(-1) != input.size(-1))) {
            throw new ShapeException("BceWithLogitsLoss: posWeight " + posWeight.shape() + " must match the last dimension of input "
                    + input.shape());
        }
        Tensor spNeg = softplus(input.neg());
        Tensor logWeight = posWeight == null ? null : posWeight.sub(1).mul(target).add(1);
        Tensor loss = target.rsub(1).mul(input).add(logWeight == null ? spNeg : logWeight.mul(spNeg));
        return Loss.reduce(weight == null ? loss : loss.mul(weight), reduction);
    }

    /**
     * log(1 + eᶻ) = max(z, 0) + log1p(e^(−|z|)), never overflowing. −|z| is taken as where(z > 0, −z, z)
     * rather than abs, whose gradient at 0 is 0: this way the two kinks at z = 0 cancel and the gradient
     * there is sigmoid(0) = 0.5, as PyTorch's analytic backward gives.
     */
    private static Tensor softplus(Tensor z) {
        Tensor negAbs = Tensor.where(z.gt(0), z.neg(), z);
        return z.relu().add(negAbs.exp().log1p());
    }
}
