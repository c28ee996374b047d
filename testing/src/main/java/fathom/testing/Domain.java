package fathom.testing;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.Rng;

/** Where an op's sample inputs are drawn from, keeping them away from points where the op is not differentiable. */
public enum Domain {
    /** Standard normal. */
    ANY,
    /** Uniform in [0.5, 2): for log, sqrt, pow bases. */
    POSITIVE,
    /** ±[0.5, 2): for denominators and reciprocals. */
    NONZERO,
    /** Normal, pushed at least 0.1 away from 0: for relu, abs, clamp's kinks. */
    KINK_FREE,
    /** Uniform in (−0.9, 0.9). */
    UNIT;

    /** A float64 tensor of {@code shape} drawn from this domain. */
    public Tensor sample(Rng rng, int... shape) {
        Tensor t = Tensors.randn(rng, Shape.of(shape), DType.FLOAT64);
        double[] v = t.storage().doubles();
        for (int i = 0; i < v.length; i++) {
            double u = rng.nextDouble();
            v[i] = switch (this) {
                case ANY -> v[i];
                case POSITIVE -> 0.5 + 1.5 * u;
                case NONZERO -> (v[i] < 0 ? -1 : 1) * (0.5 + 1.5 * u);
                case KINK_FREE -> v[i] + (v[i] < 0 ? -0.1 : 0.1);
                case UNIT -> 1.8 * u - 0.9;
            };
        }
        return t;
    }
}
