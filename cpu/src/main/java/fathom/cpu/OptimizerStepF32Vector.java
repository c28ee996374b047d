package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels of {@link OptimizerStepF32}, with the roundings of the vector element-wise
 * kernels they replace ({@link ElementwiseF32Vector}'s axpy is one fused multiply-add); the tails run
 * the same steps lane by lane. Loaded only when {@link Simd#ENABLED}.
 */
final class OptimizerStepF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();

    private OptimizerStepF32Vector() {}

    static void sgdMomentum(float[] p, int pOff, float[] buf, int bufOff, float[] d, int dOff,
                            float momentum, float gScale, float alpha, int n) {
        FloatVector vScale = FloatVector.broadcast(F, gScale);
        FloatVector vAlpha = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector b = FloatVector.fromArray(F, buf, bufOff + i).mul(momentum);
            b = FloatVector.fromArray(F, d, dOff + i).fma(vScale, b);
            b.intoArray(buf, bufOff + i);
            b.fma(vAlpha, FloatVector.fromArray(F, p, pOff + i)).intoArray(p, pOff + i);
        }
        for (; i < n; i++) {
            float b = Math.fma(gScale, d[dOff + i], buf[bufOff + i] * momentum);
            buf[bufOff + i] = b;
            p[pOff + i] = Math.fma(alpha, b, p[pOff + i]);
        }
    }

    static void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                     float sqrtC2, float eps, float stepScale, int n) {
        FloatVector vOneMinusBeta1 = FloatVector.broadcast(F, oneMinusBeta1);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i);
            FloatVector mi = gi.fma(vOneMinusBeta1, FloatVector.fromArray(F, m, mOff + i).mul(beta1));
            mi.intoArray(m, mOff + i);
            FloatVector vi = FloatVector.fromArray(F, v, vOff + i).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            vi.intoArray(v, vOff + i);
            FloatVector denom = vi.sqrt().div(sqrtC2).add(eps);
            FloatVector.fromArray(F, p, pOff + i).add(mi.mul(stepScale).div(denom)).intoArray(p, pOff + i);
        }
        for (; i < n; i++) {
            float gi = g[gOff + i];
            float mi = Math.fma(oneMinusBeta1, gi, m[mOff + i] * beta1);
            m[mOff + i] = mi;
            float vi = v[vOff + i] * beta2 + gi * oneMinusBeta2 * gi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) / sqrtC2 + eps;
            p[pOff + i] += mi * stepScale / denom;
        }
    }
}
