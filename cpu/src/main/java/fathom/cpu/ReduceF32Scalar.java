package fathom.cpu;

/**
 * The scalar twin of {@link ReduceF32Vector}: sums accumulate in double (four independent
 * accumulators, so the loop is not one long dependency chain) and round once, which makes them
 * more accurate than float cascade summation; max and min propagate NaN.
 */
final class ReduceF32Scalar {
    private ReduceF32Scalar() {}

    /** {@code Σ x[off + i]} for {@code 0 <= i < n}; 0 when n is 0. */
    static float sum(float[] x, int off, int n) {
        return (float) sumDouble(x, off, n);
    }

    /** The exact-to-double sum of {@code x[off .. off + n)}, before the final rounding to float. */
    static double sumDouble(float[] x, int off, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[off + i];
            s1 += x[off + i + 1];
            s2 += x[off + i + 2];
            s3 += x[off + i + 3];
        }
        for (; i < n; i++) s0 += x[off + i];
        return (s0 + s1) + (s2 + s3);
    }

    /** The largest of {@code x[off .. off + n)}, NaN if any is NaN, {@code -inf} when n is 0. */
    static float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** The smallest of {@code x[off .. off + n)}, NaN if any is NaN, {@code +inf} when n is 0. */
    static float min(float[] x, int off, int n) {
        float m = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.min(m, x[off + i]);
        return m;
    }

    /** The first i in {@code [0, n)} where {@code x[off + i]} is largest, a NaN counting as larger than everything. */
    static int argmax(float[] x, int off, int n) {
        ReduceF32.checkNonEmpty(n);
        int best = 0;
        float bestValue = x[off];
        if (bestValue != bestValue) return 0;
        for (int i = 1; i < n; i++) {
            float v = x[off + i];
            if (v != v) return i;
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    /** The first i in {@code [0, n)} where {@code x[off + i]} is smallest, a NaN counting as smaller than everything. */
    static int argmin(float[] x, int off, int n) {
        ReduceF32.checkNonEmpty(n);
        int best = 0;
        float bestValue = x[off];
        if (bestValue != bestValue) return 0;
        for (int i = 1; i < n; i++) {
            float v = x[off + i];
            if (v != v) return i;
            if (v < bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    /** {@code out[outOff + r] = Σ_c x[off + r·cols + c]}. */
    static void sumRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) out[outOff + r] = sum(x, off + r * cols, cols);
    }

    /** {@code out[outOff + c] (+)= Σ_r x[off + r·ld + c]} for {@code c < cols}; walks rows in memory order into double accumulators. */
    static void sumColumns(float[] x, int off, int rows, int cols, int ld, float[] out, int outOff, boolean accumulate) {
        double[] acc = new double[cols];
        for (int r = 0; r < rows; r++) {
            int base = off + r * ld;
            for (int c = 0; c < cols; c++) acc[c] += x[base + c];
        }
        for (int c = 0; c < cols; c++) {
            out[outOff + c] = (float) (accumulate ? out[outOff + c] + acc[c] : acc[c]);
        }
    }

    /** {@code out[outOff + r] = max_c x[off + r·cols + c]}. */
    static void maxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) out[outOff + r] = max(x, off + r * cols, cols);
    }

    /** {@code out[outOff + c] = max_r x[off + r·cols + c]}, {@code -inf} when rows is 0. */
    static void maxColumns(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        java.util.Arrays.fill(out, outOff, outOff + cols, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int c = 0; c < cols; c++) out[outOff + c] = Math.max(out[outOff + c], x[base + c]);
        }
    }
}
