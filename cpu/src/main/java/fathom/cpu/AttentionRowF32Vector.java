package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for the per-query-row steps of attention ({@link AttentionF32}), with the
 * contracts of {@link AttentionRowF32Scalar}; loaded only when {@link Simd#ENABLED}.
 *
 * <p>Scores vectorize across keys (the keys are stored transposed, so consecutive keys are consecutive
 * floats) and the weighted sums of rows across the head dimension; four independent accumulators hide
 * the FMA latency. {@code lanewise(EXP)} is the JDK's SVML exponential, within 1 ulp.
 */
final class AttentionRowF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();

    private AttentionRowF32Vector() {}

    static void rowTimesColumns(float[] x, int xOff, float[] mt, int mtOff, int ld, int depth, int n, float scale, float[] s) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int p = 0; p < depth; p++) {
                FloatVector xp = FloatVector.broadcast(F, x[xOff + p]);
                int at = mtOff + p * ld + j;
                a0 = load(mt, at).fma(xp, a0);
                a1 = load(mt, at + L).fma(xp, a1);
                a2 = load(mt, at + 2 * L).fma(xp, a2);
                a3 = load(mt, at + 3 * L).fma(xp, a3);
            }
            a0.mul(scale).intoArray(s, j);
            a1.mul(scale).intoArray(s, j + L);
            a2.mul(scale).intoArray(s, j + 2 * L);
            a3.mul(scale).intoArray(s, j + 3 * L);
        }
        for (; j + L <= n; j += L) {
            FloatVector a0 = FloatVector.zero(F);
            for (int p = 0; p < depth; p++) {
                a0 = load(mt, mtOff + p * ld + j).fma(FloatVector.broadcast(F, x[xOff + p]), a0);
            }
            a0.mul(scale).intoArray(s, j);
        }
        for (; j < n; j++) {
            float acc = 0f;
            for (int p = 0; p < depth; p++) {
                acc = Math.fma(x[xOff + p], mt[mtOff + p * ld + j], acc);
            }
            s[j] = acc * scale;
        }
    }

    static float expShift(float[] s, int n, float shift) {
        FloatVector vs = FloatVector.broadcast(F, shift);
        FloatVector acc = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            FloatVector e = load(s, j).sub(vs).lanewise(VectorOperators.EXP);
            e.intoArray(s, j);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            float e = (float) Math.exp(s[j] - shift);
            s[j] = e;
            sum += e;
        }
        return sum;
    }

    static void accumulateRows(float[] p, int n, float[] m, int mOff, int ld, int len, float[] o, int oOff) {
        int c = 0;
        for (; c + 4 * L <= len; c += 4 * L) {
            FloatVector a0 = load(o, oOff + c), a1 = load(o, oOff + c + L), a2 = load(o, oOff + c + 2 * L), a3 = load(o, oOff + c + 3 * L);
            for (int j = 0; j < n; j++) {
                FloatVector pj = FloatVector.broadcast(F, p[j]);
                int at = mOff + j * ld + c;
                a0 = load(m, at).fma(pj, a0);
                a1 = load(m, at + L).fma(pj, a1);
                a2 = load(m, at + 2 * L).fma(pj, a2);
                a3 = load(m, at + 3 * L).fma(pj, a3);
            }
            a0.intoArray(o, oOff + c);
            a1.intoArray(o, oOff + c + L);
            a2.intoArray(o, oOff + c + 2 * L);
            a3.intoArray(o, oOff + c + 3 * L);
        }
        for (; c + L <= len; c += L) {
            FloatVector a0 = load(o, oOff + c);
            for (int j = 0; j < n; j++) {
                a0 = load(m, mOff + j * ld + c).fma(FloatVector.broadcast(F, p[j]), a0);
            }
            a0.intoArray(o, oOff + c);
        }
        for (; c < len; c++) {
            float acc = o[oOff + c];
            for (int j = 0; j < n; j++) {
                acc = Math.fma(p[j], m[mOff + j * ld + c], acc);
            }
            o[oOff + c] = acc;
        }
    }

    static void addOuter(float[] a, int n, float[] x, int xOff, int len, float[] y, int yOff, int ld) {
        int bound = F.loopBound(len);
        for (int j = 0; j < n; j++) {
            float aj = a[j];
            FloatVector va = FloatVector.broadcast(F, aj);
            int row = yOff + j * ld;
            int c = 0;
            for (; c < bound; c += L) {
                load(x, xOff + c).fma(va, load(y, row + c)).intoArray(y, row + c);
            }
            for (; c < len; c++) {
                y[row + c] = Math.fma(aj, x[xOff + c], y[row + c]);
            }
        }
    }

    static void softmaxGrad(float[] p, float[] d, int n, float shift) {
        FloatVector vs = FloatVector.broadcast(F, shift);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            load(p, j).mul(load(d, j).sub(vs)).intoArray(d, j);
        }
        for (; j < n; j++) {
            d[j] = p[j] * (d[j] - shift);
        }
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (int bound = F.loopBound(len); c < bound; c += L) {
            acc = load(a, aOff + c).fma(load(b, bOff + c), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; c < len; c++) {
            s = Math.fma(a[aOff + c], b[bOff + c], s);
        }
        return s;
    }

    static void scale(float a, float[] x, int xOff, float[] y, int yOff, int len) {
        int c = 0;
        for (int bound = F.loopBound(len); c < bound; c += L) {
            load(x, xOff + c).mul(a).intoArray(y, yOff + c);
        }
        for (; c < len; c++) {
            y[yOff + c] = a * x[xOff + c];
        }
    }

    static float max(float[] s, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            acc = acc.max(load(s, j));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            m = Math.max(m, s[j]);
        }
        return m;
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }
}
