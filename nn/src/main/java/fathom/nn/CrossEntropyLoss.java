package fathom.nn;

import fathom.Tensor;

/**
 * ℓᵢ = −Σ_c w[c]·q[i, c]·log softmax(x)[i, c] for logits x [N, C] or [N, C, d...] (or [C]), reduced
 * (PyTorch's {@code nn.CrossEntropyLoss}); the class dimension is 1.
 *
 * <p>The target is either class indices [N] or [N, d...] (int64; q is one-hot, so ℓᵢ = −w[yᵢ]·log
 * softmax(x)[i, yᵢ]; targets equal to {@code ignoreIndex} contribute 0 and the MEAN divides by Σ w[yᵢ]
 * over the others) or class probabilities of the input's shape (floating; the MEAN divides by N·d...).
 * With {@code labelSmoothing} ε the target becomes (1 − ε)·q + ε/C. {@code weight} [C] may be null.
 * Defaults: no weight, ignoreIndex −100, MEAN, no smoothing.
 */
public record CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing) implements Loss {
    public CrossEntropyLoss {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
    }

    public CrossEntropyLoss() {
        this(null, -100, Reduction.MEAN, 0);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(null, -100, reduction, 0);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkInput("CrossEntropyLoss", input, target);
        int classDim = input.dim() == 1 ? 0 : 1;
        Tensor logp = input.logSoftmax(classDim);
        if (target.dtype().isFloating()) {
            if (ignoreIndex >= 0) {
                throw new IllegalArgumentException("CrossEntropyLoss: ignoreIndex " + ignoreIndex + " is not supported for probability targets "
                        + target.shape() + " (input " + input.shape() + ")");
            }
            return Losses.probabilities("CrossEntropyLoss", logp, target, weight, reduction, labelSmoothing);
        }
        return Losses.classIndices("CrossEntropyLoss", logp, target, weight, ignoreIndex, reduction, labelSmoothing);
    }
}
