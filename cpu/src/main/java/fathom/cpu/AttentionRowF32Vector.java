package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for the steps of attention ({@link AttentionF32}) on a block of four query rows,
 * with the contracts of {@link AttentionRowF32Scalar}; loaded only when {@link Simd#ENABLED}.
 *
 * <p>Four rows at once let each key vector loaded serve four FMAs (scores vectorize across keys, which
 * are stored transposed; weighted sums of rows vectorize across the head dimension), and give four or
 * eight independent accumulators, so the FMAs never wait on each other. Key counts are whole vectors
 * (the caller pads); the head dimension may have a scalar tail. The exponentials come from
 * {@link ExpF32Vector#expShift}, bit for bit the scalar twin's {@link ExpF32Scalar#exp}.
 */
final class AttentionRowF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();

    private AttentionRowF32Vector() {}

    static void scores4(float[] x, int x0, int x1, int x2, int x3, float[] mt, int mtOff, int ld, int depth, int nv, float scale,
                        float[] s, int ls) {
        int j = 0;
        for (; j + 2 * L <= nv; j += 2 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
            for (int p = 0; p < depth; p++) {
                int at = mtOff + p * ld + j;
                FloatVector k0 = load(mt, at);
                FloatVector k1 = load(mt, at + L);
                FloatVector q = FloatVector.broadcast(F, x[x0 + p]);
                a0 = k0.fma(q, a0);
                a1 = k1.fma(q, a1);
                q = FloatVector.broadcast(F, x[x1 + p]);
                b0 = k0.fma(q, b0);
                b1 = k1.fma(q, b1);
                q = FloatVector.broadcast(F, x[x2 + p]);
                c0 = k0.fma(q, c0);
                c1 = k1.fma(q, c1);
                q = FloatVector.broadcast(F, x[x3 + p]);
                d0 = k0.fma(q, d0);
                d1 = k1.fma(q, d1);
            }
            a0.mul(scale).intoArray(s, j);
            a1.mul(scale).intoArray(s, j + L);
            b0.mul(scale).intoArray(s, ls + j);
            b1.mul(scale).intoArray(s, ls + j + L);
            c0.mul(scale).intoArray(s, 2 * ls + j);
            c1.mul(scale).intoArray(s, 2 * ls + j + L);
            d0.mul(scale).intoArray(s, 3 * ls + j);
            d1.mul(scale).intoArray(s, 3 * ls + j + L);
        }
        for (; j < nv; j += L) {
            FloatVector a0 = FloatVector.zero(F), b0 = a0, c0 = a0, d0 = a0;
            for (int p = 0; p < depth; p++) {
                FloatVector k0 = load(mt, mtOff + p * ld + j);
                a0 = k0.fma(FloatVector.broadcast(F, x[x0 + p]), a0);
                b0 = k0.fma(FloatVector.broadcast(F, x[x1 + p]), b0);
                c0 = k0.fma(FloatVector.broadcast(F, x[x2 + p]), c0);
                d0 = k0.fma(FloatVector.broadcast(F, x[x3 + p]), d0);
            }
            a0.mul(scale).intoArray(s, j);
            b0.mul(scale).intoArray(s, ls + j);
            c0.mul(scale).intoArray(s, 2 * ls + j);
            d0.mul(scale).intoArray(s, 3 * ls + j);
        }
    }

    static void accumulate4(float[] p, int ls, int n, float[] m, int mOff, int ldm, int len, float[] o, int ldo) {
        int c = 0;
        for (; c + 2 * L <= len; c += 2 * L) {
            FloatVector a0 = load(o, c), a1 = load(o, c + L), b0 = load(o, ldo + c), b1 = load(o, ldo + c + L);
            FloatVector c0 = load(o, 2 * ldo + c), c1 = load(o, 2 * ldo + c + L), d0 = load(o, 3 * ldo + c), d1 = load(o, 3 * ldo + c + L);
            for (int j = 0; j < n; j++) {
                int at = mOff + j * ldm + c;
                FloatVector v0 = load(m, at);
                FloatVector v1 = load(m, at + L);
                FloatVector w = FloatVector.broadcast(F, p[j]);
                a0 = v0.fma(w, a0);
                a1 = v1.fma(w, a1);
                w = FloatVector.broadcast(F, p[ls + j]);
                b0 = v0.fma(w, b0);
                b1 = v1.fma(w, b1);
                w = FloatVector.broadcast(F, p[2 * ls + j]);
                c0 = v0.fma(w, c0);
                c1 = v1.fma(w, c1);
                w = FloatVector.broadcast(F, p[3 * ls + j]);
                d0 = v0.fma(w, d0);
                d1 = v1.fma(w, d1);
            }
            a0.intoArray(o, c);
            a1.intoArray(o, c + L);
            b0.intoArray(o, ldo + c);
            b1.intoArray(o, ldo + c + L);
            c0.intoArray(o, 2 * ldo + c);
            c1.intoArray(o, 2 * ldo + c + L);
            d0.intoArray(o, 3 * ldo + c);
            d1.intoArray(o, 3 * ldo + c + L);
        }
        for (; c + L <= len; c += L) {
            FloatVector a0 = load(o, c), b0 = load(o, ldo + c), c0 = load(o, 2 * ldo + c), d0 = load(o, 3 * ldo + c);
            for (int j = 0; j < n; j++) {
                FloatVector v0 = load(m, mOff + j * ldm + c);
                a0 = v0.fma(FloatVector.broadcast(F, p[j]), a0);
                b0 = v0.fma(FloatVector.broadcast(F, p[ls + j]), b0);
                c0 = v0.fma(FloatVector.broadcast(F, p[2 * ls + j]), c0);
                d0 = v0.fma(FloatVector.broadcast(F, p[3 * ls + j]), d0);
            }
            a0.intoArray(o, c);
            b0.intoArray(o, ldo + c);
            c0.intoArray(o, 2 * ldo + c);
            d0.intoArray(o, 3 * ldo + c);
        }
        if (c < len) {
            AttentionRowF32Scalar.accumulate4Columns(p, ls, n, m, mOff, ldm, c, len, o, ldo);
        }
    }

    static void addOuter4(float[] a, int ls, int n, float[] x, int x0, int x1, int x2, int x3, int len, float[] y, int yOff, int ldy) {
        int c = 0;
        for (; c + L <= len; c += L) {
            FloatVector r0 = load(x, x0 + c), r1 = load(x, x1 + c), r2 = load(x, x2 + c), r3 = load(x, x3 + c);
            for (int j = 0; j < n; j++) {
                int at = yOff + j * ldy + c;
                FloatVector acc = load(y, at);
                acc = r0.fma(FloatVector.broadcast(F, a[j]), acc);
                acc = r1.fma(FloatVector.broadcast(F, a[ls + j]), acc);
                acc = r2.fma(FloatVector.broadcast(F, a[2 * ls + j]), acc);
                acc = r3.fma(FloatVector.broadcast(F, a[3 * ls + j]), acc);
                acc.intoArray(y, at);
            }
        }
        if (c < len) {
            AttentionRowF32Scalar.addOuter4Columns(a, ls, n, x, x0, x1, x2, x3, c, len, y, yOff, ldy);
        }
    }

    static float expShift(float[] s, int off, int n, float shift) {
        return ExpF32Vector.expShift(s, off, shift, s, off, n);
    }

    static void softmaxGrad(float[] p, int off, float[] d, int n, float shift, float scale) {
        FloatVector vs = FloatVector.broadcast(F, shift);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            load(p, off + j).mul(load(d, off + j).sub(vs)).mul(scale).intoArray(d, off + j);
        }
        for (; j < n; j++) {
            d[off + j] = p[off + j] * (d[off + j] - shift) * scale;
        }
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (int bound = F.loopBound(len); c < bound; c += L) {
            acc = load(a, aOff + c).fma(load(b, bOff + c), acc);
        }
        float s = 0f;
        for (int k = 0; k < L; k++) s += acc.lane(k); // lane by lane in order, not reduceLanes(ADD): see ReduceF32Vector.blockSum
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

    static float max(float[] s, int off, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            acc = acc.max(load(s, off + j));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            m = Math.max(m, s[off + j]);
        }
        return m;
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }
}
