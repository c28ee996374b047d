package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for layer normalization with the contracts of {@link LayerNormF32Scalar}; loaded
 * only when {@link Simd#ENABLED}. The variance is the two-pass mean of (x − mean)², which does not lose
 * digits when the mean is large, as the one-pass E[x²] − mean² would.
 */
final class LayerNormF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();

    private LayerNormF32Vector() {}

    static void forward(float[] x, int xOff, int rows, int n, float[] w, float[] b, float eps, float[] y, int yOff,
                        float[] mean, float[] rstd, int statOff) {
        int bound = F.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * n;
            int yr = yOff + r * n;
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            int c = 0;
            for (; c + 2 * L <= n; c += 2 * L) {
                a0 = a0.add(load(x, xr + c));
                a1 = a1.add(load(x, xr + c + L));
            }
            for (; c < bound; c += L) a0 = a0.add(load(x, xr + c));
            a0 = a0.add(a1);
            float s = 0f;
            for (int k = 0; k < L; k++) s += a0.lane(k); // lane by lane in order, not reduceLanes(ADD): see ReduceF32Vector.blockSum
            for (; c < n; c++) s += x[xr + c];
            float m = s / n;
            FloatVector vm = FloatVector.broadcast(F, m);
            a0 = FloatVector.zero(F);
            a1 = a0;
            c = 0;
            for (; c + 2 * L <= n; c += 2 * L) {
                FloatVector d0 = load(x, xr + c).sub(vm);
                FloatVector d1 = load(x, xr + c + L).sub(vm);
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
            }
            for (; c < bound; c += L) {
                FloatVector d0 = load(x, xr + c).sub(vm);
                a0 = d0.fma(d0, a0);
            }
            a0 = a0.add(a1);
            float q = 0f;
            for (int k = 0; k < L; k++) q += a0.lane(k);
            for (; c < n; c++) {
                float d = x[xr + c] - m;
                q = Math.fma(d, d, q);
            }
            float rs = 1f / (float) Math.sqrt(q / n + eps);
            FloatVector vr = FloatVector.broadcast(F, rs);
            c = 0;
            if (w != null) {
                for (; c < bound; c += L) {
                    load(x, xr + c).sub(vm).mul(vr).fma(load(w, c), load(b, c)).intoArray(y, yr + c);
                }
            } else {
                for (; c < bound; c += L) {
                    load(x, xr + c).sub(vm).mul(vr).intoArray(y, yr + c);
                }
            }
            for (; c < n; c++) {
                float v = (x[xr + c] - m) * rs;
                if (w != null) v = Math.fma(v, w[c], b[c]);
                y[yr + c] = v;
            }
            mean[statOff + r] = m;
            rstd[statOff + r] = rs;
        }
    }

    static void backward(float[] x, int xOff, float[] g, int gOff, int rows, int n, float[] w, float[] mean, float[] rstd, int statOff,
                         float[] dx, int dxOff, float[] dw, float[] db) {
        int bound = F.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * n;
            int gr = gOff + r * n;
            int dr = dxOff + r * n;
            float m = mean[statOff + r];
            float rs = rstd[statOff + r];
            FloatVector vm = FloatVector.broadcast(F, m);
            FloatVector vr = FloatVector.broadcast(F, rs);
            FloatVector sg = FloatVector.zero(F), sgx = sg;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector xh = load(x, xr + c).sub(vm).mul(vr);
                FloatVector gv = load(g, gr + c);
                FloatVector gw = w == null ? gv : gv.mul(load(w, c));
                sg = sg.add(gw);
                sgx = gw.fma(xh, sgx);
                if (dw != null) {
                    gv.fma(xh, load(dw, c)).intoArray(dw, c);
                    gv.add(load(db, c)).intoArray(db, c);
                }
            }
            float s1 = 0f;
            float s2 = 0f;
            for (int k = 0; k < L; k++) {
                s1 += sg.lane(k);
                s2 += sgx.lane(k);
            }
            for (; c < n; c++) {
                float xh = (x[xr + c] - m) * rs;
                float gw = w == null ? g[gr + c] : g[gr + c] * w[c];
                s1 += gw;
                s2 = Math.fma(gw, xh, s2);
                if (dw != null) {
                    dw[c] = Math.fma(g[gr + c], xh, dw[c]);
                    db[c] += g[gr + c];
                }
            }
            float a = s1 / n;
            float bb = s2 / n;
            FloatVector va = FloatVector.broadcast(F, a);
            FloatVector vb = FloatVector.broadcast(F, bb);
            c = 0;
            for (; c < bound; c += L) {
                FloatVector xh = load(x, xr + c).sub(vm).mul(vr);
                FloatVector gv = load(g, gr + c);
                FloatVector gw = w == null ? gv : gv.mul(load(w, c));
                gw.sub(va).sub(xh.mul(vb)).mul(vr).intoArray(dx, dr + c);
            }
            for (; c < n; c++) {
                float xh = (x[xr + c] - m) * rs;
                float gw = w == null ? g[gr + c] : g[gr + c] * w[c];
                dx[dr + c] = rs * (gw - a - xh * bb);
            }
        }
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }
}
