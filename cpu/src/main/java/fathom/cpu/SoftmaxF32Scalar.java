package fathom.cpu;

/**
 * The scalar twin of {@link SoftmaxF32Vector}: softmax and log-softmax along each row of a row-major
 * {@code [rows, cols]} matrix and their backward passes; the exponentials are {@link ExpF32Scalar#exp}
 * (the vector kernels' own, bit for bit), the row sums are in double.
 */
final class SoftmaxF32Scalar {
    private SoftmaxF32Scalar() {}

    /** {@code out[r, c] = exp(x[r, c] - m_r) / Σ_c' exp(x[r, c'] - m_r)} with {@code m_r} the row max; out may alias x. */
    static void softmaxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xr = off + r * cols;
            int or = outOff + r * cols;
            float max = ReduceF32Scalar.max(x, xr, cols);
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                float e = ExpF32Scalar.exp(x[xr + c] - max);
                out[or + c] = e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int c = 0; c < cols; c++) out[or + c] *= inv;
        }
    }

    /** {@code out[r, c] = (x[r, c] - m_r) - log Σ_c' exp(x[r, c'] - m_r)}; out may alias x. */
    static void logSoftmaxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xr = off + r * cols;
            int or = outOff + r * cols;
            float max = ReduceF32Scalar.max(x, xr, cols);
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += ExpF32Scalar.exp(x[xr + c] - max);
            float logSum = (float) Math.log(sum);
            for (int c = 0; c < cols; c++) out[or + c] = (x[xr + c] - max) - logSum;
        }
    }

    /** {@code out[r, c] = y[r, c]·(g[r, c] - Σ_c' g[r, c']·y[r, c'])} with y the softmax output; out may alias g or y. */
    static void softmaxBackwardRows(float[] y, int yOff, float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * cols;
            int gr = gOff + r * cols;
            int or = outOff + r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += (double) g[gr + c] * y[yr + c];
            float d = (float) dot;
            for (int c = 0; c < cols; c++) out[or + c] = y[yr + c] * (g[gr + c] - d);
        }
    }

    /** {@code out[r, c] = g[r, c] - exp(y[r, c])·Σ_c' g[r, c']} with y the log-softmax output; out may alias g or y. */
    static void logSoftmaxBackwardRows(float[] y, int yOff, float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * cols;
            int gr = gOff + r * cols;
            int or = outOff + r * cols;
            float s = ReduceF32Scalar.sum(g, gr, cols);
            for (int c = 0; c < cols; c++) out[or + c] = g[gr + c] - ExpF32Scalar.exp(y[yr + c]) * s;
        }
    }
}
