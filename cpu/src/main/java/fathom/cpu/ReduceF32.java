package fathom.cpu;

/**
 * Float32 reductions over arrays with offsets: whole-range sum, max, min, argmax, argmin, and
 * row-major matrix reductions along rows or columns. Runs the Vector API kernels when
 * {@link Simd#ENABLED} and the scalar twins otherwise; single-threaded, the caller splits rows, except
 * {@link #sumColumnsParallel}.
 *
 * <p>Sums are accumulated so that the error does not grow with the length (float blocks combined in
 * double on the vector path, double throughout on the scalar path). Max and min propagate NaN like
 * {@code torch.max}; the max of no elements is {@code -inf} and the min {@code +inf}.
 */
public final class ReduceF32 {
    private ReduceF32() {}

    /** {@code Σ x[off + i]} for {@code 0 <= i < n}; 0 when n is 0. */
    public static float sum(float[] x, int off, int n) {
        return Simd.ENABLED ? ReduceF32Vector.sum(x, off, n) : ReduceF32Scalar.sum(x, off, n);
    }

    /** {@code max_i x[off + i]}; NaN if any element is NaN, {@code -inf} when n is 0. */
    public static float max(float[] x, int off, int n) {
        return Simd.ENABLED ? ReduceF32Vector.max(x, off, n) : ReduceF32Scalar.max(x, off, n);
    }

    /** {@code min_i x[off + i]}; NaN if any element is NaN, {@code +inf} when n is 0. */
    public static float min(float[] x, int off, int n) {
        return Simd.ENABLED ? ReduceF32Vector.min(x, off, n) : ReduceF32Scalar.min(x, off, n);
    }

    /** The first i in {@code [0, n)} with {@code x[off + i]} largest, a NaN counting as largest (as {@code torch.argmax}); n must be positive. */
    public static int argmax(float[] x, int off, int n) {
        return Simd.ENABLED ? ReduceF32Vector.argmax(x, off, n) : ReduceF32Scalar.argmax(x, off, n);
    }

    /** The first i in {@code [0, n)} with {@code x[off + i]} smallest, a NaN counting as smallest (as {@code torch.argmin}); n must be positive. */
    public static int argmin(float[] x, int off, int n) {
        return Simd.ENABLED ? ReduceF32Vector.argmin(x, off, n) : ReduceF32Scalar.argmin(x, off, n);
    }

    /** {@code out[outOff + r] = Σ_c x[off + r·cols + c]} for the row-major {@code [rows, cols]} matrix at off. */
    public static void sumRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        if (Simd.ENABLED) ReduceF32Vector.sumRows(x, off, rows, cols, out, outOff);
        else ReduceF32Scalar.sumRows(x, off, rows, cols, out, outOff);
    }

    /**
     * {@code out[outOff + c] = Σ_r x[off + r·cols + c]}, or {@code +=} when {@code accumulate}, for the
     * row-major {@code [rows, cols]} matrix at off: the reduction over the batch dimension, as for a
     * bias gradient.
     */
    public static void sumColumns(float[] x, int off, int rows, int cols, float[] out, int outOff, boolean accumulate) {
        sumColumns(x, off, rows, cols, cols, out, outOff, accumulate);
    }

    /** {@link #sumColumns} over the columns {@code c < cols} of a matrix whose rows are {@code ld} floats apart. */
    static void sumColumns(float[] x, int off, int rows, int cols, int ld, float[] out, int outOff, boolean accumulate) {
        if (Simd.ENABLED) ReduceF32Vector.sumColumns(x, off, rows, cols, ld, out, outOff, accumulate);
        else ReduceF32Scalar.sumColumns(x, off, rows, cols, ld, out, outOff, accumulate);
    }

    /**
     * {@link #sumColumns} split between the threads of {@link Parallel}, with the same result on any thread
     * count (a bias gradient: the batch rows of one [rows, cols] matrix). The vector kernel splits the rows
     * in blocks ({@link ReduceF32Vector#sumColumnsParallel}); the scalar twin, which sums each column in
     * double in row order, splits the columns.
     */
    public static void sumColumnsParallel(float[] x, int off, int rows, int cols, float[] out, int outOff, boolean accumulate) {
        if (Simd.ENABLED) {
            ReduceF32Vector.sumColumnsParallel(x, off, rows, cols, out, outOff, accumulate);
            return;
        }
        int grain = Math.max(16, CpuBackend.GRAIN / Math.max(1, rows));
        Parallel.forRange(cols, grain, (c0, c1) -> sumColumns(x, off + c0, rows, c1 - c0, cols, out, outOff + c0, accumulate));
    }

    /** {@code out[outOff + r] = max_c x[off + r·cols + c]}, NaN propagating, {@code -inf} for an empty row. */
    public static void maxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        if (Simd.ENABLED) ReduceF32Vector.maxRows(x, off, rows, cols, out, outOff);
        else ReduceF32Scalar.maxRows(x, off, rows, cols, out, outOff);
    }

    /** {@code out[outOff + c] = max_r x[off + r·cols + c]}, NaN propagating, {@code -inf} when rows is 0. */
    public static void maxColumns(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        if (Simd.ENABLED) ReduceF32Vector.maxColumns(x, off, rows, cols, out, outOff);
        else ReduceF32Scalar.maxColumns(x, off, rows, cols, out, outOff);
    }

    static void checkNonEmpty(int n) {
        if (n <= 0) throw new IllegalArgumentException("argmax/argmin of an empty range");
    }
}
