package fathom.cpu;

/** The scalar twin of {@link GeluF32Vector}: the gradient of the exact GELU, in double, rounded once. */
final class GeluF32Scalar {
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private GeluF32Scalar() {}

    /** {@code out[i] = g[i]·(Φ(x[i]) + x[i]·φ(x[i]))} for {@code i < n}. */
    static void backward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = grad(x[xOff + i], g[gOff + i]);
        }
    }

    static float grad(float x, float g) {
        double xd = x;
        double pdf = Math.exp(-0.5 * xd * xd) * INV_SQRT_2PI;
        return (float) (g * (UnaryF32Scalar.normalCdf(xd) + xd * pdf));
    }
}
