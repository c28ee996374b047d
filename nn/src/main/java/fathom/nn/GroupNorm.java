package fathom.nn;

import fathom.DType;
import fathom.Normalization;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = (x − E[x]) / √(Var[x] + eps)·γ + β with mean and biased variance over each of {@code numGroups}
 * groups of {@code numChannels / numGroups} consecutive channels (and all trailing dimensions) of each
 * sample, and γ, β per channel: x [N, C, *] gives y of the same shape (PyTorch's {@code nn.GroupNorm}).
 * The same in training and eval (no running statistics). With {@code affine}, {@code weight} γ (ones) and
 * {@code bias} β (zeros) are [C]. Defaults: eps 1e-5, affine.
 */
public final class GroupNorm extends Module {
    public final int numGroups;
    public final int numChannels;
    public final double eps;
    /** [C], or null without affine. */
    public final Tensor weight;
    /** [C], or null without affine. */
    public final Tensor bias;

    /** eps 1e-5, affine, float32. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true, DType.FLOAT32);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine, DType dtype) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: numChannels (" + numChannels + ") must be a positive multiple of numGroups ("
                    + numGroups + ")");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        weight = affine ? parameter("weight", Tensors.ones(Shape.of(numChannels), dtype)) : null;
        bias = affine ? parameter("bias", Tensors.zeros(Shape.of(numChannels), dtype)) : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 2 || input.size(1) != numChannels) {
            throw new ShapeException("GroupNorm(" + numGroups + ", " + numChannels + ") expects input [N, " + numChannels + ", *], got "
                    + input.shape());
        }
        return Normalization.groupNorm(input, numGroups, weight, bias, eps);
    }

    /** As PyTorch's repr: {@code GroupNorm(2, 4, eps=1e-05, affine=True)}. */
    @Override
    public String toString() {
        return "GroupNorm(" + numGroups + ", " + numChannels + ", eps=" + PythonRepr.number(eps) + ", affine=" + PythonRepr.bool(weight != null)
                + ")";
    }
}
