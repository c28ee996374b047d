package fathom.nn;

import fathom.Tensor;
import fathom.Tensors;

/**
 * ℓ = y·(log y − x) element-wise, for log-probabilities x and targets y of one shape (y given as
 * log-probabilities too with {@code logTarget}: ℓ = eʸ·(y − x)), then reduced (PyTorch's
 * {@code nn.KLDivLoss}); y = 0 contributes 0. BATCHMEAN, the sum divided by the batch size (size 0),
 * is the true KL divergence per sample; MEAN divides by every element, as PyTorch does. Default MEAN.
 */
public record KlDivLoss(KlReduction reduction, boolean logTarget) implements Loss {
    /** PyTorch's {@code reduction} for KL divergence: 'none', 'batchmean', 'mean' or 'sum'. */
    public enum KlReduction { NONE, BATCHMEAN, MEAN, SUM }

    public KlDivLoss() {
        this(KlReduction.MEAN, false);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkSameShape("KlDivLoss", input, target);
        Tensor loss;
        if (logTarget) {
            loss = target.exp().mul(target.sub(input));
        } else {
            // y·log y with 0·log 0 = 0 (PyTorch's xlogy); the log reads 1 where y = 0 so no NaN enters the gradient
            Tensor positive = target.gt(0);
            Tensor logY = Tensor.where(positive, target, Tensors.scalar(1, target.dtype())).log();
            loss = target.mul(logY.sub(input));
        }
        return switch (reduction) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case BATCHMEAN -> input.dim() == 0 ? loss.sum() : loss.sum().div(input.size(0));
        };
    }
}
