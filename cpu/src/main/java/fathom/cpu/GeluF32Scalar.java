package fathom.cpu;

/** The scalar twin of {@link GeluF32Vector}: the gradient of the exact GELU, in float, operation for operation as the vector kernel. */
final class GeluF32Scalar {
    static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    private GeluF32Scalar() {}

    /** {@code out[i] = g[i]·(Φ(x[i]) + x[i]·φ(x[i]))} for {@code i < n}. */
    static void backward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = grad(x[xOff + i], g[gOff + i]);
        }
    }

    /**
     * {@code g·(Φ(x) + x·φ(x))}, with {@code x·φ(x) + Φ(x)} as one FMA and {@code e^(-x²/2)} shared by
     * Φ and φ (|x| clamped at 20, where both are 0 in float).
     */
    static float grad(float x, float g) {
        return gradFromExp(x, g, ExpF32Scalar.exp(UnaryF32Scalar.gaussianExponent(x)));
    }

    /** {@link #grad} given {@code e} = exp of {@link UnaryF32Scalar#gaussianExponent}. */
    static float gradFromExp(float x, float g, float e) {
        float ax = Math.min(Math.abs(x), 20f);
        float gauss = UnaryF32Scalar.gaussian(ax, e);
        float q = UnaryF32Scalar.normalTail(ax) * gauss;
        float cdf = x < 0f ? q : -q + 1f;
        return Math.fma(x, gauss * INV_SQRT_2PI, cdf) * g;
    }
}
