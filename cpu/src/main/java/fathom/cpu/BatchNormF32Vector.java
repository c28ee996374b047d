package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for the per-run loops of {@link BatchNormF32}, with the contracts of
 * {@link BatchNormF32Scalar}; loaded only when {@link Simd#ENABLED}. Reductions accumulate blocks of
 * {@link ReduceF32Vector#BLOCK} elements in two float vector accumulators and add the block totals in
 * double, as {@link ReduceF32Vector} does.
 */
final class BatchNormF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();
    private static final int BLOCK = ReduceF32Vector.BLOCK;

    private BatchNormF32Vector() {}

    static double squaredDeviations(float[] x, int off, int n, float mean) {
        double total = 0;
        FloatVector vm = FloatVector.broadcast(F, mean);
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            int base = off + start;
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            int i = 0;
            for (int bound = len - 2 * L; i <= bound; i += 2 * L) {
                FloatVector d0 = FloatVector.fromArray(F, x, base + i).sub(vm);
                FloatVector d1 = FloatVector.fromArray(F, x, base + i + L).sub(vm);
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
            }
            a0 = a0.add(a1);
            float s = 0f;
            for (int k = 0; k < L; k++) s += a0.lane(k); // lane by lane in order, not reduceLanes(ADD): see ReduceF32Vector.blockSum
            for (; i < len; i++) {
                float d = x[base + i] - mean;
                s += d * d;
            }
            total += s;
        }
        return total;
    }

    static double centeredDot(float[] g, int gOff, float[] x, int xOff, int n, float mean) {
        double total = 0;
        FloatVector vm = FloatVector.broadcast(F, mean);
        for (int start = 0; start < n; start += BLOCK) {
            int len = Math.min(BLOCK, n - start);
            int gb = gOff + start;
            int xb = xOff + start;
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            int i = 0;
            for (int bound = len - 2 * L; i <= bound; i += 2 * L) {
                a0 = FloatVector.fromArray(F, x, xb + i).sub(vm).fma(FloatVector.fromArray(F, g, gb + i), a0);
                a1 = FloatVector.fromArray(F, x, xb + i + L).sub(vm).fma(FloatVector.fromArray(F, g, gb + i + L), a1);
            }
            a0 = a0.add(a1);
            float s = 0f;
            for (int k = 0; k < L; k++) s += a0.lane(k); // lane by lane in order, not reduceLanes(ADD): see ReduceF32Vector.blockSum
            for (; i < len; i++) {
                s += g[gb + i] * (x[xb + i] - mean);
            }
            total += s;
        }
        return total;
    }

    static void affine(float[] x, int off, int n, float alpha, float beta, float[] y, int yOff) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        FloatVector vb = FloatVector.broadcast(F, beta);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, off + i).fma(va, vb).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = x[off + i] * alpha + beta;
        }
    }

    static void inputGradient(float[] g, int gOff, float[] x, int xOff, int n, float mean, float gMean, float k, float scale,
            boolean batchStats, float[] gx, int gxOff) {
        FloatVector vs = FloatVector.broadcast(F, scale);
        int i = 0;
        int bound = F.loopBound(n);
        if (!batchStats) {
            for (; i < bound; i += L) {
                FloatVector.fromArray(F, g, gOff + i).mul(vs).intoArray(gx, gxOff + i);
            }
            for (; i < n; i++) {
                gx[gxOff + i] = g[gOff + i] * scale;
            }
            return;
        }
        FloatVector vm = FloatVector.broadcast(F, mean);
        FloatVector vg = FloatVector.broadcast(F, gMean);
        FloatVector vk = FloatVector.broadcast(F, k);
        for (; i < bound; i += L) {
            FloatVector centered = FloatVector.fromArray(F, x, xOff + i).sub(vm);
            FloatVector.fromArray(F, g, gOff + i).sub(vg).sub(centered.mul(vk)).mul(vs).intoArray(gx, gxOff + i);
        }
        for (; i < n; i++) {
            gx[gxOff + i] = ((g[gOff + i] - gMean) - (x[xOff + i] - mean) * k) * scale;
        }
    }
}
