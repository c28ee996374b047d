package fathom.cpu;

import fathom.backend.BinaryOp;
import fathom.backend.CompareOp;
import fathom.backend.UnaryOp;

/**
 * Float32 elementwise kernels over arrays with offsets: {@code out[outOff + i] = f(inputs at i)} for
 * {@code 0 <= i < n}, running the Vector API kernels when {@link Simd#ENABLED} and their scalar twins
 * otherwise.
 *
 * <p>A stride argument is 1 (contiguous) or 0 (the single element at the offset, broadcast to all
 * n); other broadcasting patterns are the caller's loop over these calls. {@code out} may be the same
 * array at the same offset as an input (in place). Kernels are single-threaded; the caller splits
 * large ranges across threads.
 */
public final class ElementwiseF32 {
    private ElementwiseF32() {}

    /** {@code out[outOff + i] = op(x[xOff + i])}, with PyTorch's float32 semantics for each {@link UnaryOp}. */
    public static void unary(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n) {
        if (Simd.ENABLED) UnaryF32Vector.unary(op, x, xOff, out, outOff, n);
        else UnaryF32Scalar.unary(op, x, xOff, out, outOff, n);
    }

    /** {@code out[outOff + i] = op(a[aOff + i·aStride], b[bOff + i·bStride])}, strides each 0 or 1. */
    public static void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                              float[] out, int outOff, int n) {
        checkStride(aStride);
        checkStride(bStride);
        if (Simd.ENABLED) ElementwiseF32Vector.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
        else ElementwiseF32Scalar.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
    }

    /** {@code y[yOff + i] += alpha·x[xOff + i]} (the vector path fuses the multiply-add). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        if (Simd.ENABLED) ElementwiseF32Vector.axpy(alpha, x, xOff, y, yOff, n);
        else ElementwiseF32Scalar.axpy(alpha, x, xOff, y, yOff, n);
    }

    /** {@code x[xOff + i] *= alpha}. */
    public static void scale(float alpha, float[] x, int xOff, int n) {
        if (Simd.ENABLED) ElementwiseF32Vector.scale(alpha, x, xOff, n);
        else ElementwiseF32Scalar.scale(alpha, x, xOff, n);
    }

    /** {@code out[off + i] = v}. */
    public static void fill(float v, float[] out, int off, int n) {
        if (Simd.ENABLED) ElementwiseF32Vector.fill(v, out, off, n);
        else ElementwiseF32Scalar.fill(v, out, off, n);
    }

    /** {@code out[outOff + i] = (a[aOff + i·aStride] op b[bOff + i·bStride])}, strides each 0 or 1; NaN compares unequal to everything. */
    public static void compare(CompareOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                               boolean[] out, int outOff, int n) {
        checkStride(aStride);
        checkStride(bStride);
        if (Simd.ENABLED) ElementwiseF32Vector.compare(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
        else ElementwiseF32Scalar.compare(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
    }

    /** {@code out[outOff + i] = cond[cOff + i·cStride] ? a[aOff + i·aStride] : b[bOff + i·bStride]}, strides each 0 or 1. */
    public static void where(boolean[] cond, int cOff, int cStride, float[] a, int aOff, int aStride,
                             float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        checkStride(cStride);
        checkStride(aStride);
        checkStride(bStride);
        if (Simd.ENABLED) ElementwiseF32Vector.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
        else ElementwiseF32Scalar.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
    }

    /** {@code out[outOff + i] = x[xOff + i] <= 0 ? 0 : g[gOff + i]}: ReLU's gradient in one pass (a NaN x passes g on). */
    public static void reluBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        if (Simd.ENABLED) ElementwiseF32Vector.reluBackward(x, xOff, g, gOff, out, outOff, n);
        else ElementwiseF32Scalar.reluBackward(x, xOff, g, gOff, out, outOff, n);
    }

    private static void checkStride(int stride) {
        if (stride != 0 && stride != 1) throw new IllegalArgumentException("stride must be 0 or 1, got " + stride);
    }
}
