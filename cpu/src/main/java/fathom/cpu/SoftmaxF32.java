package fathom.cpu;

/**
 * Float32 softmax and log-softmax along each row of a row-major {@code [rows, cols]} matrix, and
 * their backward passes; numerically stable (each row's max is subtracted before exponentiating).
 * Runs the Vector API kernels when {@link Simd#ENABLED} and the scalar twins otherwise;
 * single-threaded, the caller splits rows. Softmax over another dimension is the caller's transpose.
 * In every method {@code out} may be the same array region as an input.
 */
public final class SoftmaxF32 {
    private SoftmaxF32() {}

    /** {@code out[r, c] = exp(x[r, c] - max_r) / Σ_c' exp(x[r, c'] - max_r)}; a row that is all {@code -inf} gives NaN, as in PyTorch. */
    public static void softmaxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        if (Simd.ENABLED) SoftmaxF32Vector.softmaxRows(x, off, rows, cols, out, outOff);
        else SoftmaxF32Scalar.softmaxRows(x, off, rows, cols, out, outOff);
    }

    /** {@code out[r, c] = (x[r, c] - max_r) - log Σ_c' exp(x[r, c'] - max_r)}. */
    public static void logSoftmaxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        if (Simd.ENABLED) SoftmaxF32Vector.logSoftmaxRows(x, off, rows, cols, out, outOff);
        else SoftmaxF32Scalar.logSoftmaxRows(x, off, rows, cols, out, outOff);
    }

    /** The softmax vector-Jacobian product {@code out = y ⊙ (g - Σ_c g·y)} per row, given the forward output y and the upstream gradient g. */
    public static void softmaxBackwardRows(float[] y, int yOff, float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        if (Simd.ENABLED) SoftmaxF32Vector.softmaxBackwardRows(y, yOff, g, gOff, rows, cols, out, outOff);
        else SoftmaxF32Scalar.softmaxBackwardRows(y, yOff, g, gOff, rows, cols, out, outOff);
    }

    /** The log-softmax vector-Jacobian product {@code out = g - exp(y)·Σ_c g} per row, given the forward output y and the upstream gradient g. */
    public static void logSoftmaxBackwardRows(float[] y, int yOff, float[] g, int gOff, int rows, int cols, float[] out, int outOff) {
        if (Simd.ENABLED) SoftmaxF32Vector.logSoftmaxBackwardRows(y, yOff, g, gOff, rows, cols, out, outOff);
        else SoftmaxF32Scalar.logSoftmaxBackwardRows(y, yOff, g, gOff, rows, cols, out, outOff);
    }
}
