package fathom.nn;

import fathom.DType;
import fathom.Linalg;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = x·Wᵀ + b, for x [*, in] giving y [*, out], with W [out, in] and b [out] (PyTorch's {@code nn.Linear}).
 *
 * <p>Initialized as PyTorch does: W from kaiming_uniform(a = √5), that is U(−1/√in, 1/√in), and b
 * from U(−1/√in, 1/√in).
 */
public final class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    /** [out, in]. */
    public final Tensor weight;
    /** [out], or null without bias. */
    public final Tensor bias;

    /** A float32 layer. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        this(inFeatures, outFeatures, bias, DType.FLOAT32, rng);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype, Rng rng) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: feature counts must be ≥ 0, got in " + inFeatures + ", out " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", Tensors.zeros(Shape.of(outFeatures, inFeatures), dtype));
        this.bias = bias ? parameter("bias", Tensors.zeros(Shape.of(outFeatures), dtype)) : null;
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, rng);
        if (bias) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform(this.bias, -bound, bound, rng);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return Linalg.linear(input, weight, bias);
    }

    @Override
    public String toString() {
        return "Linear(in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null) + ")";
    }
}
