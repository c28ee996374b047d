package fathom.nn;

import fathom.DType;
import fathom.Normalization;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = (x − E[x]) / √(Var[x] + eps)·γ + β over the last dimensions, which must equal
 * {@code normalizedShape}: x [*, normalizedShape] gives y of the same shape (PyTorch's {@code nn.LayerNorm}).
 * The variance is biased (divides by n). With {@code elementwiseAffine}, {@code weight} γ (ones) and
 * {@code bias} β (zeros) have shape {@code normalizedShape}. Runs the fused op
 * {@link Normalization#layerNorm} (one kernel forward and one backward on the CPU backend).
 */
public final class LayerNorm extends Module {
    public final Shape normalizedShape;
    public final double eps;
    /** normalizedShape, or null without elementwise affine. */
    public final Tensor weight;
    /** normalizedShape, or null without elementwise affine. */
    public final Tensor bias;

    /** eps 1e-5 with elementwise affine, float32. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true, DType.FLOAT32);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, DType dtype) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must have at least one dimension");
        }
        this.normalizedShape = Shape.of(normalizedShape);
        this.eps = eps;
        weight = elementwiseAffine ? parameter("weight", Tensors.ones(this.normalizedShape, dtype)) : null;
        bias = elementwiseAffine ? parameter("bias", Tensors.zeros(this.normalizedShape, dtype)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Normalization.layerNorm(input, normalizedShape.toArray(), weight, bias, eps);
    }
}
