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

    /**
     * Scores of four query rows against {@code nv} keys, two vectors of keys at a time (eight accumulators), then one
     * vector for an odd last one. That last vector sums the even and the odd depth steps in accumulators of their own
     * and adds them at the end: with one accumulator per row its four chains of dependent FMAs kept the two FMA pipes
     * half idle, and under a causal mask half the blocks of four rows end on such a vector. Measured on the GPT
     * benchmark's attention (forward and backward, [32, 4, 64, 32], alternating in one JVM, 80 rounds each): 1.13x
     * faster on one thread, 1.12-1.15x on two, faster in 66-71 of 80 rounds. The sum of those lanes is then
     * associated differently from {@link AttentionRowF32Scalar#scores4}'s, so they may differ from it in the last bits.
     */
    static void scores4(float[] x, int x0, int x1, int x2, int x3, float[] mt, int mtOff, int ld, int depth, int nv, float scale,
                        float[] s, int sOff, int ls) {
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
            int at = sOff + j;
            a0.mul(scale).intoArray(s, at);
            a1.mul(scale).intoArray(s, at + L);
            b0.mul(scale).intoArray(s, at + ls);
            b1.mul(scale).intoArray(s, at + ls + L);
            c0.mul(scale).intoArray(s, at + 2 * ls);
            c1.mul(scale).intoArray(s, at + 2 * ls + L);
            d0.mul(scale).intoArray(s, at + 3 * ls);
            d1.mul(scale).intoArray(s, at + 3 * ls + L);
        }
        for (; j < nv; j += L) {
            FloatVector a0 = FloatVector.zero(F), b0 = a0, c0 = a0, d0 = a0;
            // even and odd depth steps in accumulators of their own (see the method comment)
            FloatVector a1 = a0, b1 = a0, c1 = a0, d1 = a0;
            int p = 0;
            for (; p + 2 <= depth; p += 2) {
                FloatVector k0 = load(mt, mtOff + p * ld + j);
                FloatVector k1 = load(mt, mtOff + (p + 1) * ld + j);
                a0 = k0.fma(FloatVector.broadcast(F, x[x0 + p]), a0);
                b0 = k0.fma(FloatVector.broadcast(F, x[x1 + p]), b0);
                c0 = k0.fma(FloatVector.broadcast(F, x[x2 + p]), c0);
                d0 = k0.fma(FloatVector.broadcast(F, x[x3 + p]), d0);
                a1 = k1.fma(FloatVector.broadcast(F, x[x0 + p + 1]), a1);
                b1 = k1.fma(FloatVector.broadcast(F, x[x1 + p + 1]), b1);
                c1 = k1.fma(FloatVector.broadcast(F, x[x2 + p + 1]), c1);
                d1 = k1.fma(FloatVector.broadcast(F, x[x3 + p + 1]), d1);
            }
            a0 = a0.add(a1);
            b0 = b0.add(b1);
            c0 = c0.add(c1);
            d0 = d0.add(d1);
            for (; p < depth; p++) {
                FloatVector k0 = load(mt, mtOff + p * ld + j);
                a0 = k0.fma(FloatVector.broadcast(F, x[x0 + p]), a0);
                b0 = k0.fma(FloatVector.broadcast(F, x[x1 + p]), b0);
                c0 = k0.fma(FloatVector.broadcast(F, x[x2 + p]), c0);
                d0 = k0.fma(FloatVector.broadcast(F, x[x3 + p]), d0);
            }
            int at = sOff + j;
            a0.mul(scale).intoArray(s, at);
            b0.mul(scale).intoArray(s, at + ls);
            c0.mul(scale).intoArray(s, at + 2 * ls);
            d0.mul(scale).intoArray(s, at + 3 * ls);
        }
    }

    static void accumulate4(float[] p, int pOff, int ls, int n, float[] m, int mOff, int ldm, int len, float[] o, int oOff, int ldo) {
        int o0 = oOff, o1 = oOff + ldo, o2 = oOff + 2 * ldo, o3 = oOff + 3 * ldo;
        int p0 = pOff, p1 = pOff + ls, p2 = pOff + 2 * ls, p3 = pOff + 3 * ls;
        int c = 0;
        for (; c + 2 * L <= len; c += 2 * L) {
            FloatVector a0 = load(o, o0 + c), a1 = load(o, o0 + c + L), b0 = load(o, o1 + c), b1 = load(o, o1 + c + L);
            FloatVector c0 = load(o, o2 + c), c1 = load(o, o2 + c + L), d0 = load(o, o3 + c), d1 = load(o, o3 + c + L);
            for (int j = 0; j < n; j++) {
                int at = mOff + j * ldm + c;
                FloatVector v0 = load(m, at);
                FloatVector v1 = load(m, at + L);
                FloatVector w = FloatVector.broadcast(F, p[p0 + j]);
                a0 = v0.fma(w, a0);
                a1 = v1.fma(w, a1);
                w = FloatVector.broadcast(F, p[p1 + j]);
                b0 = v0.fma(w, b0);
                b1 = v1.fma(w, b1);
                w = FloatVector.broadcast(F, p[p2 + j]);
                c0 = v0.fma(w, c0);
                c1 = v1.fma(w, c1);
                w = FloatVector.broadcast(F, p[p3 + j]);
                d0 = v0.fma(w, d0);
                d1 = v1.fma(w, d1);
            }
            a0.intoArray(o, o0 + c);
            a1.intoArray(o, o0 + c + L);
            b0.intoArray(o, o1 + c);
            b1.intoArray(o, o1 + c + L);
            c0.intoArray(o, o2 + c);
            c1.intoArray(o, o2 + c + L);
            d0.intoArray(o, o3 + c);
            d1.intoArray(o, o3 + c + L);
        }
        for (; c + L <= len; c += L) {
            FloatVector a0 = load(o, o0 + c), b0 = load(o, o1 + c), c0 = load(o, o2 + c), d0 = load(o, o3 + c);
            for (int j = 0; j < n; j++) {
                FloatVector v0 = load(m, mOff + j * ldm + c);
                a0 = v0.fma(FloatVector.broadcast(F, p[p0 + j]), a0);
                b0 = v0.fma(FloatVector.broadcast(F, p[p1 + j]), b0);
                c0 = v0.fma(FloatVector.broadcast(F, p[p2 + j]), c0);
                d0 = v0.fma(FloatVector.broadcast(F, p[p3 + j]), d0);
            }
            a0.intoArray(o, o0 + c);
            b0.intoArray(o, o1 + c);
            c0.intoArray(o, o2 + c);
            d0.intoArray(o, o3 + c);
        }
        if (c < len) {
            AttentionRowF32Scalar.accumulate4Columns(p, pOff, ls, n, m, mOff, ldm, c, len, o, oOff, ldo);
        }
    }

    /**
     * Four keys' rows of dK or dV: {@code y[yOff + t·ldy + c] += Σ_{i<rows} a[aOff + i·lda + t]·x[xOff + i·ldx + c]}
     * for t < 4, c < len. Each output vector sums its rows in a register (eight accumulators: four keys by two
     * vectors, as in the matmul micro-kernel) and is added to y once; when {@code zeros} (the first sum for these
     * rows) it is stored as {@code 0 + sum} without loading y, which may hold anything.
     */
    static void addTransposed4(float[] a, int aOff, int lda, int rows, float[] x, int xOff, int ldx, int len, float[] y, int yOff, int ldy,
                               boolean zeros) {
        int y0 = yOff, y1 = yOff + ldy, y2 = yOff + 2 * ldy, y3 = yOff + 3 * ldy;
        int c = 0;
        for (; c + 2 * L <= len; c += 2 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
            for (int i = 0; i < rows; i++) {
                int xo = xOff + i * ldx + c;
                int ao = aOff + i * lda;
                FloatVector x0 = load(x, xo);
                FloatVector x1 = load(x, xo + L);
                FloatVector w = FloatVector.broadcast(F, a[ao]);
                a0 = x0.fma(w, a0);
                a1 = x1.fma(w, a1);
                w = FloatVector.broadcast(F, a[ao + 1]);
                b0 = x0.fma(w, b0);
                b1 = x1.fma(w, b1);
                w = FloatVector.broadcast(F, a[ao + 2]);
                c0 = x0.fma(w, c0);
                c1 = x1.fma(w, c1);
                w = FloatVector.broadcast(F, a[ao + 3]);
                d0 = x0.fma(w, d0);
                d1 = x1.fma(w, d1);
            }
            if (zeros) {
                FloatVector z = FloatVector.zero(F);
                z.add(a0).intoArray(y, y0 + c);
                z.add(a1).intoArray(y, y0 + c + L);
                z.add(b0).intoArray(y, y1 + c);
                z.add(b1).intoArray(y, y1 + c + L);
                z.add(c0).intoArray(y, y2 + c);
                z.add(c1).intoArray(y, y2 + c + L);
                z.add(d0).intoArray(y, y3 + c);
                z.add(d1).intoArray(y, y3 + c + L);
            } else {
                load(y, y0 + c).add(a0).intoArray(y, y0 + c);
                load(y, y0 + c + L).add(a1).intoArray(y, y0 + c + L);
                load(y, y1 + c).add(b0).intoArray(y, y1 + c);
                load(y, y1 + c + L).add(b1).intoArray(y, y1 + c + L);
                load(y, y2 + c).add(c0).intoArray(y, y2 + c);
                load(y, y2 + c + L).add(c1).intoArray(y, y2 + c + L);
                load(y, y3 + c).add(d0).intoArray(y, y3 + c);
                load(y, y3 + c + L).add(d1).intoArray(y, y3 + c + L);
            }
        }
        for (; c + L <= len; c += L) {
            FloatVector a0 = FloatVector.zero(F), b0 = a0, c0 = a0, d0 = a0;
            for (int i = 0; i < rows; i++) {
                FloatVector x0 = load(x, xOff + i * ldx + c);
                int ao = aOff + i * lda;
                a0 = x0.fma(FloatVector.broadcast(F, a[ao]), a0);
                b0 = x0.fma(FloatVector.broadcast(F, a[ao + 1]), b0);
                c0 = x0.fma(FloatVector.broadcast(F, a[ao + 2]), c0);
                d0 = x0.fma(FloatVector.broadcast(F, a[ao + 3]), d0);
            }
            FloatVector z = FloatVector.zero(F);
            (zeros ? z : load(y, y0 + c)).add(a0).intoArray(y, y0 + c);
            (zeros ? z : load(y, y1 + c)).add(b0).intoArray(y, y1 + c);
            (zeros ? z : load(y, y2 + c)).add(c0).intoArray(y, y2 + c);
            (zeros ? z : load(y, y3 + c)).add(d0).intoArray(y, y3 + c);
        }
        if (c < len) {
            AttentionRowF32Scalar.addTransposed(a, aOff, lda, rows, 4, x, xOff, ldx, c, len, y, yOff, ldy, zeros);
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
