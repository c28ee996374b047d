package fathom.cpu;

import fathom.backend.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API reductions with the contracts of {@link ReduceF32Scalar}; loaded only when
 * {@link Simd#ENABLED}.
 *
 * <p>Sums are blocked: each block of {@link #BLOCK} elements is summed in float by four independent
 * vector accumulators (so each lane adds at most BLOCK / (4·lanes) values, 32 at 256 bits), and the
 * block totals are added in double. The error therefore does not grow with n, as PyTorch's cascade
 * sum; summing 10^7 copies of 0.1f measured 3.3e-7 relative error (double throughout: 1.5e-8).
 */
final class ReduceF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();
    /** Elements per float-accumulated block; a multiple of 4·L for every width up to 512 bits. */
    static final int BLOCK = 1024;
    /** Rows per float-accumulated block in {@link #sumColumns}, for the same reason as {@link #BLOCK}. */
    private static final int ROW_BLOCK = 64;

    private ReduceF32Vector() {}

    /** {@code Σ x[off + i]} for {@code 0 <= i < n}; 0 when n is 0. */
    static float sum(float[] x, int off, int n) {
        return (float) sumDouble(x, off, n);
    }

    /** The blocked sum of {@code x[off .. off + n)} before its final rounding to float. */
    static double sumDouble(float[] x, int off, int n) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            total += blockSum(x, off + start, Math.min(BLOCK, n - start));
        }
        return total;
    }

    private static float blockSum(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            a0 = a0.add(load(x, off + i));
            a1 = a1.add(load(x, off + i + L));
            a2 = a2.add(load(x, off + i + 2 * L));
            a3 = a3.add(load(x, off + i + 3 * L));
        }
        for (int bound = F.loopBound(n); i < bound; i += L) a0 = a0.add(load(x, off + i));
        a0 = a0.add(a1).add(a2.add(a3));
        // Lane by lane in order rather than reduceLanes(ADD), whose order the Vector API leaves open:
        // on x86-64 since JDK 24 C2 adds the lanes as a tree, the interpreter and C1 in lane order, so
        // the same sum differed in its last bit before and after compilation. Every kernel's lane sum
        // is written this way, in the loop itself: a helper taking the vector would box it whenever C2
        // does not inline the call (see ExpF32Vector).
        float s = 0f;
        for (int k = 0; k < L; k++) s += a0.lane(k);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /** The largest of {@code x[off .. off + n)}, NaN if any is NaN, {@code -inf} when n is 0. */
    static float max(float[] x, int off, int n) {
        // FloatVector.max follows Math.max, so NaN propagates through the accumulators.
        FloatVector a0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            a0 = a0.max(load(x, off + i));
            a1 = a1.max(load(x, off + i + L));
            a2 = a2.max(load(x, off + i + 2 * L));
            a3 = a3.max(load(x, off + i + 3 * L));
        }
        for (int bound = F.loopBound(n); i < bound; i += L) a0 = a0.max(load(x, off + i));
        float m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** The smallest of {@code x[off .. off + n)}, NaN if any is NaN, {@code +inf} when n is 0. */
    static float min(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            a0 = a0.min(load(x, off + i));
            a1 = a1.min(load(x, off + i + L));
            a2 = a2.min(load(x, off + i + 2 * L));
            a3 = a3.min(load(x, off + i + 3 * L));
        }
        for (int bound = F.loopBound(n); i < bound; i += L) a0 = a0.min(load(x, off + i));
        float m = a0.min(a1).min(a2.min(a3)).reduceLanes(VectorOperators.MIN);
        for (; i < n; i++) m = Math.min(m, x[off + i]);
        return m;
    }

    /** The first index of the largest element, NaN counting as largest: the max pass, then a search that stops at the first hit. */
    static int argmax(float[] x, int off, int n) {
        ReduceF32.checkNonEmpty(n);
        return firstIndexOf(max(x, off, n), x, off, n);
    }

    /** The first index of the smallest element, NaN counting as smallest. */
    static int argmin(float[] x, int off, int n) {
        ReduceF32.checkNonEmpty(n);
        return firstIndexOf(min(x, off, n), x, off, n);
    }

    /** The first i with {@code x[off + i] == target}, or with x NaN when target is NaN (the target is known to occur). */
    private static int firstIndexOf(float target, float[] x, int off, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        // Two loops rather than a mask chosen inside one, so each loop body is a single fixed compare.
        if (Float.isNaN(target)) {
            for (; i < bound; i += L) {
                VectorMask<Float> hit = load(x, off + i).test(VectorOperators.IS_NAN);
                if (hit.anyTrue()) return i + hit.firstTrue();
            }
            for (; i < n; i++) if (Float.isNaN(x[off + i])) return i;
        } else {
            FloatVector t = FloatVector.broadcast(F, target);
            for (; i < bound; i += L) {
                VectorMask<Float> hit = load(x, off + i).compare(VectorOperators.EQ, t);
                if (hit.anyTrue()) return i + hit.firstTrue();
            }
            for (; i < n; i++) if (x[off + i] == target) return i;
        }
        throw new IllegalStateException("extreme value not found on the second pass");
    }

    /** {@code out[outOff + r] = Σ_c x[off + r·cols + c]}. */
    static void sumRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) out[outOff + r] = sum(x, off + r * cols, cols);
    }

    /**
     * {@code out[outOff + c] (+)= Σ_r x[off + r·ld + c]} for {@code c < cols}, vectorized along the columns. The rows
     * stream through in memory order, four at a time, into a float row of partial sums (it stays in
     * L1 for typical widths); every {@link #ROW_BLOCK} rows the partials are added into double totals,
     * so accuracy does not degrade with the batch size. Walking down column strips instead measured
     * less than half the speed, since every row step jumps a whole row ahead in memory.
     */
    static void sumColumns(float[] x, int off, int rows, int cols, int ld, float[] out, int outOff, boolean accumulate) {
        double[] total = new double[cols];
        float[] partial = new float[cols];
        for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
            blockPartial(x, off + r0 * ld, Math.min(ROW_BLOCK, rows - r0), cols, ld, partial, 0);
            for (int c = 0; c < cols; c++) total[c] += partial[c];
        }
        for (int c = 0; c < cols; c++) {
            out[outOff + c] = (float) (accumulate ? out[outOff + c] + total[c] : total[c]);
        }
    }

    /**
     * {@link #sumColumns} of a row-major {@code [rows, cols]} matrix with its blocks of {@link #ROW_BLOCK} rows
     * split between the threads of {@link Parallel}: each block's float partials are computed as on one thread
     * and added into the double totals in block order afterwards, so the result is the same bits on any thread
     * count. Each thread streams whole rows; splitting the columns instead had every thread read a strip of
     * each row, a jump of a whole row per step.
     */
    static void sumColumnsParallel(float[] x, int off, int rows, int cols, float[] out, int outOff, boolean accumulate) {
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        float[] partials = new float[blocks * cols];
        int grain = Math.max(1, CpuBackend.GRAIN / Math.max(1, ROW_BLOCK * cols));
        Parallel.forRange(blocks, grain, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int r0 = b * ROW_BLOCK;
                blockPartial(x, off + r0 * cols, Math.min(ROW_BLOCK, rows - r0), cols, cols, partials, b * cols);
            }
        });
        for (int c = 0; c < cols; c++) {
            double total = 0;
            for (int b = 0; b < blocks; b++) total += partials[b * cols + c];
            out[outOff + c] = (float) (accumulate ? out[outOff + c] + total : total);
        }
    }

    /** {@code p[pOff + c] = Σ_r x[off + r·ld + c]} over {@code rows} rows, in float, four rows at a time in order. */
    private static void blockPartial(float[] x, int off, int rows, int cols, int ld, float[] p, int pOff) {
        java.util.Arrays.fill(p, pOff, pOff + cols, 0f);
        int r = 0;
        for (; r + 4 <= rows; r += 4) addFourRows(x, off + r * ld, cols, ld, p, pOff);
        for (; r < rows; r++) ElementwiseF32Vector.binary(BinaryOp.ADD, p, pOff, 1, x, off + r * ld, 1, p, pOff, cols);
    }

    /** {@code p[pOff + c] += x[base + c] + ... + x[base + 3·ld + c]} for {@code c < cols}, added one row at a time in order. */
    private static void addFourRows(float[] x, int base, int cols, int ld, float[] p, int pOff) {
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += L) {
            load(p, pOff + c).add(load(x, base + c)).add(load(x, base + ld + c))
                    .add(load(x, base + 2 * ld + c)).add(load(x, base + 3 * ld + c))
                    .intoArray(p, pOff + c);
        }
        for (; c < cols; c++) {
            float v = p[pOff + c];
            v += x[base + c];
            v += x[base + ld + c];
            v += x[base + 2 * ld + c];
            v += x[base + 3 * ld + c];
            p[pOff + c] = v;
        }
    }

    /** {@code out[outOff + r] = max_c x[off + r·cols + c]}. */
    static void maxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) out[outOff + r] = max(x, off + r * cols, cols);
    }

    /** {@code out[outOff + c] = max_r x[off + r·cols + c]}, {@code -inf} when rows is 0; rows stream through in memory order, as in {@link #sumColumns}. */
    static void maxColumns(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        ElementwiseF32Vector.fill(Float.NEGATIVE_INFINITY, out, outOff, cols);
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int base = off + r * cols;
            int c = 0;
            for (int bound = F.loopBound(cols); c < bound; c += L) {
                load(out, outOff + c).max(load(x, base + c)).max(load(x, base + cols + c))
                        .max(load(x, base + 2 * cols + c)).max(load(x, base + 3 * cols + c))
                        .intoArray(out, outOff + c);
            }
            for (; c < cols; c++) {
                float m = Math.max(Math.max(out[outOff + c], x[base + c]), x[base + cols + c]);
                out[outOff + c] = Math.max(Math.max(m, x[base + 2 * cols + c]), x[base + 3 * cols + c]);
            }
        }
        for (; r < rows; r++) {
            ElementwiseF32Vector.binary(BinaryOp.MAXIMUM, out, outOff, 1, x, off + r * cols, 1, out, outOff, cols);
        }
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }
}
