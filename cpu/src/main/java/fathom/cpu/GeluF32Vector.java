package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gradient of the exact GELU, {@code g·(Φ(x) + x·φ(x))}, as one Vector API pass (the composite
 * would make nine passes over the tensor); Φ is {@link UnaryF32Vector#normalCdf}. Loaded only when
 * {@link Simd#ENABLED}; the tail runs {@link GeluF32Scalar}.
 */
final class GeluF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    private GeluF32Vector() {}

    static void backward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            FloatVector pdf = v.mul(v).mul(-0.5f).lanewise(VectorOperators.EXP).mul(INV_SQRT_2PI);
            FloatVector d = v.fma(pdf, UnaryF32Vector.normalCdf(v));
            d.mul(FloatVector.fromArray(F, g, gOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = GeluF32Scalar.grad(x[xOff + i], g[gOff + i]);
        }
    }
}
