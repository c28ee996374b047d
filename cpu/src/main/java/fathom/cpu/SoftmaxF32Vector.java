package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for row softmax, log-softmax and their backward passes, with the contracts of
 * {@link SoftmaxF32Scalar}; loaded only when {@link Simd#ENABLED}.
 *
 * <p>Each row subtracts its max before exponentiating, so no exponential overflows. The row sums
 * use the blocked scheme of {@link ReduceF32Vector} (float vector accumulators per block of
 * {@link ReduceF32Vector#BLOCK}, block totals in double), so accuracy holds for vocabulary-sized rows;
 * a block is at most {@link ExpF32Vector#CHUNK}, the scratch row log-softmax exponentiates into.
 * The exponentials (and each block's sum) come from {@link ExpF32Vector#expShift}, so each
 * {@code exp(x - max)} equals the scalar twin's bit for bit (the sums differ by their order of addition).
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
                sum += ExpF32Vector.expShift(x, xr + start, max, out, or + start, Math.min(BLOCK, cols - start));
            }
            // One division per row, then multiplies, as PyTorch's vectorized softmax does.
            ElementwiseF32Vector.scale((float) (1 / sum), out, or, cols);
        }
    }

    /** {@code out[r, c] = (x[r, c] - m_r) - log Σ_c' exp(x[r, c'] - m_r)}; out may alias x. */
    static void logSoftmaxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        float[] scratch = ExpF32Vector.scratch();
        for (int r = 0; r < rows; r++) {
            int xr = off + r * cols;
            int or = outOff + r * cols;
            float max = ReduceF32Vector.max(x, xr, cols);
            double sum = 0;
            for (int start = 0; start < cols; start += BLOCK) {
                sum += ExpF32Vector.expShift(x, xr + start, max, scratch, 0, Math.min(BLOCK, cols - start));
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
        a0 = a0.add(a1).add(a2.add(a3));
        float s = 0f;
        for (int k = 0; k < L; k++) s += a0.lane(k); // lane by lane in order, not reduceLanes(ADD): see ReduceF32Vector.blockSum
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** {@code out[r, c] = g[r, c] - exp(y[r, c])·Σ_c' g[r, c']} with y the log-softmax output; out may alias g or y. */
    static void logSoftmaxBackwardRows(float[] y, int yOff, float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * cols;
            int gr = gOff + r * cols;
            int or = outOff + r * cols;
            subtractScaledExp(g, gr, y, yr, ReduceF32Vector.sum(g, gr, cols), out, or, cols);
        }
    }

    /** {@code out[i] = g[i] - exp(y[i])·s}, the exponentials a chunk at a time in the scratch row; out may be g or y. */
    private static void subtractScaledExp(float[] g, int gOff, float[] y, int yOff, float s, float[] out, int outOff, int n) {
        float[] t = ExpF32Vector.scratch();
        FloatVector vs = FloatVector.broadcast(F, s);
        for (int start = 0; start < n; start += ExpF32Vector.CHUNK) {
            int m = Math.min(ExpF32Vector.CHUNK, n - start);
            ExpF32Vector.expShift(y, yOff + start, 0f, t, 0, m);
            int gs = gOff + start;
            int os = outOff + start;
            int i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                load(g, gs + i).sub(load(t, i).mul(vs)).intoArray(out, os + i);
            }
            for (; i < m; i++) out[os + i] = g[gs + i] - t[i] * s;
        }
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }
}
