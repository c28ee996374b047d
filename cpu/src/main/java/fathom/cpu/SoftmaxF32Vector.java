package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for row softmax, log-softmax and their backward passes, with the contracts of
 * {@link SoftmaxF32Scalar}; loaded only when {@link Simd#ENABLED}.
 *
 * <p>Each row subtracts its max before exponentiating, so no exponential overflows. The row sums
 * use the blocked scheme of {@link ReduceF32Vector} (float vector accumulators per block of
 * {@link ReduceF32Vector#BLOCK}, block totals in double), so accuracy holds for vocabulary-sized rows.
 * {@code lanewise(EXP)} is the JDK's SVML exponential, within 1 ulp.
 */
final class SoftmaxF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();
    private static final int BLOCK = ReduceF32Vector.BLOCK;

    private SoftmaxF32Vector() {}

    /** {@code out[r, c] = exp(x[r, c] - m_r) / Σ_c' exp(x[r, c'] - m_r)} with {@code m_r} the row max; out may alias x. */
    static void softmaxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xr = off + r * cols;
            int or = outOff + r * cols;
            float max = ReduceF32Vector.max(x, xr, cols);
            double sum = 0;
            for (int start = 0; start < cols; start += BLOCK) {
                sum += expBlock(x, xr + start, max, Math.min(BLOCK, cols - start), out, or + start, true);
            }
            // One division per row, then multiplies, as PyTorch's vectorized softmax does.
            ElementwiseF32Vector.scale((float) (1 / sum), out, or, cols);
        }
    }

    /** {@code out[r, c] = (x[r, c] - m_r) - log Σ_c' exp(x[r, c'] - m_r)}; out may alias x. */
    static void logSoftmaxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xr = off + r * cols;
            int or = outOff + r * cols;
            float max = ReduceF32Vector.max(x, xr, cols);
            double sum = 0;
            for (int start = 0; start < cols; start += BLOCK) {
                sum += expBlock(x, xr + start, max, Math.min(BLOCK, cols - start), null, 0, false);
            }
            float logSum = (float) Math.log(sum);
            FloatVector vmax = FloatVector.broadcast(F, max);
            FloatVector vlog = FloatVector.broadcast(F, logSum);
            int c = 0;
            for (int bound = F.loopBound(cols); c < bound; c += L) {
                // (x - max) first: exact when x is near the max, where the result matters most.
                load(x, xr + c).sub(vmax).sub(vlog).intoArray(out, or + c);
            }
            for (; c < cols; c++) out[or + c] = (x[xr + c] - max) - logSum;
        }
    }

    /** {@code Σ exp(x[off + i] - max)} over one block, also written to out when {@code store}. */
    private static float expBlock(float[] x, int off, float max, int n, float[] out, int outOff, boolean store) {
        FloatVector vmax = FloatVector.broadcast(F, max);
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int i = 0;
        if (store) {
            for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
                FloatVector e0 = load(x, off + i).sub(vmax).lanewise(VectorOperators.EXP);
                FloatVector e1 = load(x, off + i + L).sub(vmax).lanewise(VectorOperators.EXP);
                e0.intoArray(out, outOff + i);
                e1.intoArray(out, outOff + i + L);
                a0 = a0.add(e0);
                a1 = a1.add(e1);
            }
        } else {
            for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
                a0 = a0.add(load(x, off + i).sub(vmax).lanewise(VectorOperators.EXP));
                a1 = a1.add(load(x, off + i + L).sub(vmax).lanewise(VectorOperators.EXP));
            }
        }
        float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            if (store) out[outOff + i] = e;
            s += e;
        }
        return s;
    }

    /** {@code out[r, c] = y[r, c]·(g[r, c] - Σ_c' g[r, c']·y[r, c'])} with y the softmax output; out may alias g or y. */
    static void softmaxBackwardRows(float[] y, int yOff, float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * cols;
            int gr = gOff + r * cols;
            int or = outOff + r * cols;
            double dot = 0;
            for (int start = 0; start < cols; start += BLOCK) {
                dot += dotBlock(g, gr + start, y, yr + start, Math.min(BLOCK, cols - start));
            }
            float d = (float) dot;
            FloatVector vd = FloatVector.broadcast(F, d);
            int c = 0;
            for (int bound = F.loopBound(cols); c < bound; c += L) {
                load(y, yr + c).mul(load(g, gr + c).sub(vd)).intoArray(out, or + c);
            }
            for (; c < cols; c++) out[or + c] = y[yr + c] * (g[gr + c] - d);
        }
    }

    private static float dotBlock(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            a0 = load(a, aOff + i).fma(load(b, bOff + i), a0);
            a1 = load(a, aOff + i + L).fma(load(b, bOff + i + L), a1);
            a2 = load(a, aOff + i + 2 * L).fma(load(b, bOff + i + 2 * L), a2);
            a3 = load(a, aOff + i + 3 * L).fma(load(b, bOff + i + 3 * L), a3);
        }
        for (int bound = F.loopBound(n); i < bound; i += L) a0 = load(a, aOff + i).fma(load(b, bOff + i), a0);
        float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** {@code out[r, c] = g[r, c] - exp(y[r, c])·Σ_c' g[r, c']} with y the log-softmax output; out may alias g or y. */
    static void logSoftmaxBackwardRows(float[] y, int yOff, float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * cols;
            int gr = gOff + r * cols;
            int or = outOff + r * cols;
            float s = ReduceF32Vector.sum(g, gr, cols);
            FloatVector vs = FloatVector.broadcast(F, s);
            int c = 0;
            for (int bound = F.loopBound(cols); c < bound; c += L) {
                load(g, gr + c).sub(load(y, yr + c).lanewise(VectorOperators.EXP).mul(vs)).intoArray(out, or + c);
            }
            for (; c < cols; c++) out[or + c] = g[gr + c] - (float) Math.exp(y[yr + c]) * s;
        }
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }
}
