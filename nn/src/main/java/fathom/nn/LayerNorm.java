package fathom.nn;

import fathom.DType;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import java.util.Arrays;

/**
 * y = (x − E[x]) / √(Var[x] + eps)·γ + β over the last dimensions, which must equal
 * {@code normalizedShape}: x [*, normalizedShape] gives y of the same shape (PyTorch's {@code nn.LayerNorm}).
 * The variance is biased (divides by n). With {@code elementwiseAffine}, {@code weight} γ (ones) and
 * {@code bias} β (zeros) have shape {@code normalizedShape}.
 */
public final class LayerNorm extends Module {
    public final Shape normalizedShape;
    public final double eps;
    /** normalizedShape, or null without elementwise affine. */
    public final Tensor weight;
    /** normalizedShape, or null without elementwise affine. */
    public final Tensor bias;
    private final int[] dims;

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
        dims = new int[normalizedShape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = i - dims.length;
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        int k = dims.length;
        int[] trailing = input.dim() < k ? null : Arrays.copyOfRange(input.shape().toArray(), input.dim() - k, input.dim());
        if (trailing == null || !Shape.of(trailing).equals(normalizedShape)) {
            throw new ShapeException("LayerNorm" + normalizedShape + " expects an input whose last dimensions are "
                    + normalizedShape + ", got " + input.shape());
        }
        Tensor centered = input.sub(input.mean(dims, true));
        Tensor y = centered.mul(centered.square().mean(dims, true).add(eps).rsqrt());
        return weight == null ? y : y.mul(weight).add(bias);
    }
}
