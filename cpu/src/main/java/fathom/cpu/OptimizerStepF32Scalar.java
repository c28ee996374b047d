package fathom.cpu;

/**
 * The scalar twin of {@link OptimizerStepF32Vector}: the roundings of the scalar element-wise kernels
 * it replaces ({@link ElementwiseF32Scalar}'s axpy rounds the product before the sum).
 */
final class OptimizerStepF32Scalar {
    private OptimizerStepF32Scalar() {}

    static void sgdMomentum(float[] p, int pOff, float[] buf, int bufOff, float[] d, int dOff,
                            float momentum, float gScale, float alpha, int n) {
        for (int i = 0; i < n; i++) {
            float b = buf[bufOff + i] * momentum;
            b += gScale * d[dOff + i];
            buf[bufOff + i] = b;
            p[pOff + i] += alpha * b;
        }
    }

    static void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                     float sqrtC2, float eps, float stepScale, int n) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = m[mOff + i] * beta1;
            mi += oneMinusBeta1 * gi;
            m[mOff + i] = mi;
            float vi = v[vOff + i] * beta2 + gi * oneMinusBeta2 * gi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) / sqrtC2 + eps;
            p[pOff + i] += mi * stepScale / denom;
        }
    }
}
