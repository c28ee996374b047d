package fathom.cpu;

import fathom.backend.BinaryOp;
import fathom.backend.CompareOp;

/**
 * The scalar twin of {@link ElementwiseF32Vector}: binary ops, comparisons, {@code where}, axpy,
 * scale and fill over float arrays with offsets, one plain loop per op.
 *
 * <p>A stride is 1 (contiguous) or 0 (the one element at the offset, broadcast); element i of an
 * operand is {@code a[aOff + i·aStride]}. The per-element functions are package-private because the
 * vector kernels use them for their tails and for POW.
 */
final class ElementwiseF32Scalar {
    private ElementwiseF32Scalar() {}

    /** {@code out[outOff + i] = op(a[aOff + i·aStride], b[bOff + i·bStride])}; {@code out} may alias a or b at the same offset. */
    static void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] + b[bOff + i * bStride]; }
            case SUB -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] - b[bOff + i * bStride]; }
            case MUL -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] * b[bOff + i * bStride]; }
            case DIV -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] / b[bOff + i * bStride]; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) out[outOff + i] = Math.max(a[aOff + i * aStride], b[bOff + i * bStride]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) out[outOff + i] = Math.min(a[aOff + i * aStride], b[bOff + i * bStride]); }
            case POW -> { for (int i = 0; i < n; i++) out[outOff + i] = pow(a[aOff + i * aStride], b[bOff + i * bStride]); }
        }
    }

    /** {@code op(a, b)} for one pair of elements. */
    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case POW -> pow(a, b);
        };
    }

    /**
     * {@code a^b} by {@link Math#pow} rounded once to float, with the two cases where C's {@code powf}
     * (and so PyTorch) differs from Java: {@code pow(1, y) = 1} for every y, NaN included, and
     * {@code pow(-1, ±inf) = 1}.
     */
    static float pow(float a, float b) {
        if (a == 1f || (a == -1f && Float.isInfinite(b))) return 1f;
        return (float) Math.pow(a, b);
    }

    /** {@code y[yOff + i] += alpha·x[xOff + i]}. */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /** {@code out[outOff + i] = x[xOff + i] <= 0 ? 0 : g[gOff + i]}; a NaN x passes g on. */
    static void reluBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = x[xOff + i] <= 0 ? 0f : g[gOff + i];
    }

    /** {@code x[xOff + i] *= alpha}. */
    static void scale(float alpha, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) x[xOff + i] *= alpha;
    }

    /** {@code out[off + i] = v}. */
    static void fill(float v, float[] out, int off, int n) {
        for (int i = 0; i < n; i++) out[off + i] = v;
    }

    /** {@code out[outOff + i] = a[aOff + i·aStride] op b[bOff + i·bStride]}. */
    static void compare(CompareOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                        boolean[] out, int outOff, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] == b[bOff + i * bStride]; }
            case NE -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] != b[bOff + i * bStride]; }
            case LT -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] < b[bOff + i * bStride]; }
            case LE -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] <= b[bOff + i * bStride]; }
            case GT -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] > b[bOff + i * bStride]; }
            case GE -> { for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i * aStride] >= b[bOff + i * bStride]; }
        }
    }

    /** {@code a op b} for one pair of elements. */
    static boolean test(CompareOp op, float a, float b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }

    /** {@code out[outOff + i] = cond[cOff + i·cStride] ? a[aOff + i·aStride] : b[bOff + i·bStride]}. */
    static void where(boolean[] cond, int cOff, int cStride, float[] a, int aOff, int aStride,
                      float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = cond[cOff + i * cStride] ? a[aOff + i * aStride] : b[bOff + i * bStride];
        }
    }
}
