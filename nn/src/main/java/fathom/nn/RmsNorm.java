package fathom.nn;

import fathom.DType;
import fathom.Normalization;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = x / √(mean(x²) + eps)·γ over the last dimensions, which must equal {@code normalizedShape}: x
 * [*, normalizedShape] gives y of the same shape (PyTorch 2.4's {@code nn.RMSNorm}). With
 * {@code elementwiseAffine}, {@code weight} γ (ones) has shape normalizedShape. A null eps means the
 * machine epsilon of the input's dtype, as PyTorch's default.
 */
public final class RmsNorm extends Module {
    public final Shape normalizedShape;
    /** The eps, or null for the input dtype's machine epsilon. */
    public final Double eps;
    /** normalizedShape, or null without elementwise affine. */
    public final Tensor weight;

    /** eps from the input's dtype, with a weight, float32. */
    public RmsNorm(int... normalizedShape) {
        this(normalizedShape, null, true, DType.FLOAT32);
    }

    public RmsNorm(int[] normalizedShape, Double eps, boolean elementwiseAffine, DType dtype) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("RmsNorm: normalizedShape must have at least one dimension");
        }
        if (eps != null && !(eps >= 0)) {
            throw new IllegalArgumentException("RmsNorm: eps must be ≥ 0, got " + eps);
        }
        this.normalizedShape = Shape.of(normalizedShape);
        this.eps = eps;
        weight = elementwiseAffine ? parameter("weight", Tensors.ones(this.normalizedShape, dtype)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Normalization.rmsNorm(input, normalizedShape.toArray(), weight, eps);
    }

    @Override
    public String toString() {
        return "RMSNorm(" + normalizedShape + ", eps=" + eps + ", elementwise_affine=" + (weight != null) + ")";
    }
}
