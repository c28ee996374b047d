package fathom.cpu;

/**
 * The scalar twin of {@link GeluF32Vector}: the exact GELU and its derivative in float, operation for operation
 * as the vector kernel.
 */
final class GeluF32Scalar {
    static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    private GeluF32Scalar() {}

    /**
     * {@code out[i] = x·Φ(x)} (bit for bit {@link UnaryF32Scalar}'s GELU) and {@code d[i] = Φ(x) + x·φ(x)},
     * x = {@code x[xOff + i]}, for {@code i < n}, from one exponential per element.
     */
    static void withDerivative(float[] x, int xOff, float[] out, int outOff, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            float e = ExpF32Scalar.exp(UnaryF32Scalar.gaussianExponent(v));
            out[outOff + i] = v * UnaryF32Scalar.normalCdfFromExp(v, e);
            d[dOff + i] = derivativeFromExp(v, e);
        }
    }

    /**
     * {@code Φ(x) + x·φ(x)} given {@code e} = exp of {@link UnaryF32Scalar#gaussianExponent}: {@code x·φ(x) + Φ(x)}
     * as one FMA, {@code e^(-x²/2)} shared by Φ and φ (both 0 beyond {@link UnaryF32Scalar#NORMAL_TAIL_END}).
     */
    static float derivativeFromExp(float x, float e) {
        float ax = UnaryF32Scalar.tailArgument(x);
        float gauss = UnaryF32Scalar.gaussianInRange(x, ax, e);
        float q = UnaryF32Scalar.normalTail(ax) * gauss;
        float cdf = x < 0f ? q : -q + 1f;
        return Math.fma(x, gauss * INV_SQRT_2PI, cdf);
    }
}
