package fathom.cpu;

import fathom.backend.BinaryOp;
import fathom.backend.CompareOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for binary ops, comparisons, {@code where}, axpy, scale and fill, with the
 * contracts of {@link ElementwiseF32Scalar}; loaded only when {@link Simd#ENABLED}.
 *
 * <p>Each op and each stride combination (1,1), (1,0), (0,1) has its own loop, because the Vector
 * API needs the operator as a JIT-time constant and a broadcast operand is best read once, before
 * the loop. Both strides 0 is one value, computed once and filled. Tails after {@code loopBound} run
 * the scalar twin.
 */
final class ElementwiseF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();

    private ElementwiseF32Vector() {}

    /** {@code out[outOff + i] = op(a[aOff + i·aStride], b[bOff + i·bStride])}; {@code out} may alias a or b at the same offset. */
    static void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int n) {
        if (n <= 0) return;
        if (aStride == 0 && bStride == 0) {
            fill(ElementwiseF32Scalar.apply(op, a[aOff], b[bOff]), out, outOff, n);
            return;
        }
        int i = switch (op) {
            case ADD -> add(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case SUB -> sub(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case MUL -> mul(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case DIV -> div(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case MAXIMUM -> maximum(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case MINIMUM -> minimum(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case POW -> pow(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
        };
        ElementwiseF32Scalar.binary(op, a, aOff + i * aStride, aStride, b, bOff + i * bStride, bStride,
                out, outOff + i, n - i);
    }

    // Each kernel below returns how many elements it did; the caller finishes the rest.

    private static int add(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).add(load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).add(vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.add(load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sub(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).sub(load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).sub(vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.sub(load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int mul(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).mul(load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).mul(vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.mul(load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int div(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).div(load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            // A true division by the scalar: multiplying by its reciprocal would not round like PyTorch.
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).div(vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.div(load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int maximum(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        // FloatVector.max follows Math.max: NaN wins, as torch.maximum.
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).max(load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).max(vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.max(load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int minimum(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).min(load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).min(vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.min(load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    /**
     * Only the exponent-2 broadcast case is vectorized (x·x is exactly the correctly rounded x²); the
     * rest is left to the scalar twin because {@code lanewise(POW)} has no SVML stub here: it measured
     * as slow as a {@link Math#pow} loop (about 40 ns per element) with the same results, and also
     * lacks C's {@code pow(1, NaN) = 1}.
     */
    private static int pow(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        int i = 0;
        if (aStride == 1 && bStride == 0 && b[bOff] == 2f) {
            for (int bound = F.loopBound(n); i < bound; i += L) {
                FloatVector v = load(a, aOff + i);
                v.mul(v).intoArray(out, outOff + i);
            }
        }
        return i;
    }

    /** {@code y[yOff + i] += alpha·x[xOff + i]}, as one fused multiply-add per element. */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            load(x, xOff + i).fma(va, load(y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    /** {@code x[xOff + i] *= alpha}. */
    static void scale(float alpha, float[] x, int xOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) load(x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        ElementwiseF32Scalar.scale(alpha, x, xOff + i, n - i);
    }

    /** {@code out[off + i] = v}. */
    static void fill(float v, float[] out, int off, int n) {
        FloatVector vv = FloatVector.broadcast(F, v);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) vv.intoArray(out, off + i);
        ElementwiseF32Scalar.fill(v, out, off + i, n - i);
    }

    /**
     * {@code out[outOff + i] = a[aOff + i·aStride] op b[bOff + i·bStride]}, the mask stored straight
     * into the boolean array. GT and GE are LT and LE with the operands swapped.
     */
    static void compare(CompareOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                        boolean[] out, int outOff, int n) {
        if (n <= 0) return;
        if (aStride == 0 && bStride == 0) {
            java.util.Arrays.fill(out, outOff, outOff + n, ElementwiseF32Scalar.test(op, a[aOff], b[bOff]));
            return;
        }
        int i = switch (op) {
            case EQ -> eq(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case NE -> ne(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case LT -> lt(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case LE -> le(a, aOff, aStride, b, bOff, bStride, out, outOff, n);
            case GT -> lt(b, bOff, bStride, a, aOff, aStride, out, outOff, n);
            case GE -> le(b, bOff, bStride, a, aOff, aStride, out, outOff, n);
        };
        ElementwiseF32Scalar.compare(op, a, aOff + i * aStride, aStride, b, bOff + i * bStride, bStride,
                out, outOff + i, n - i);
    }

    private static int eq(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, boolean[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).compare(VectorOperators.EQ, load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).compare(VectorOperators.EQ, vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.compare(VectorOperators.EQ, load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int ne(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, boolean[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).compare(VectorOperators.NE, load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).compare(VectorOperators.NE, vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.compare(VectorOperators.NE, load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int lt(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, boolean[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).compare(VectorOperators.LT, load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).compare(VectorOperators.LT, vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.compare(VectorOperators.LT, load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int le(float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, boolean[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) load(a, aOff + i).compare(VectorOperators.LE, load(b, bOff + i)).intoArray(out, outOff + i);
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) load(a, aOff + i).compare(VectorOperators.LE, vb).intoArray(out, outOff + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) va.compare(VectorOperators.LE, load(b, bOff + i)).intoArray(out, outOff + i);
        }
        return i;
    }

    /** {@code out[outOff + i] = x[xOff + i] <= 0 ? 0 : g[gOff + i]}, as {@link ElementwiseF32Scalar#reluBackward}. */
    static void reluBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            VectorMask<Float> off = load(x, xOff + i).compare(VectorOperators.LE, 0f);
            load(g, gOff + i).blend(0f, off).intoArray(out, outOff + i);
        }
        ElementwiseF32Scalar.reluBackward(x, xOff + i, g, gOff + i, out, outOff + i, n - i);
    }

    /**
     * {@code out[outOff + i] = cond[cOff + i·cStride] ? a[aOff + i·aStride] : b[bOff + i·bStride]}; the
     * booleans load straight into a lane mask. A broadcast condition picks one operand for the whole range.
     */
    static void where(boolean[] cond, int cOff, int cStride, float[] a, int aOff, int aStride,
                      float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        if (n <= 0) return;
        if (cStride == 0) {
            boolean pickA = cond[cOff];
            float[] src = pickA ? a : b;
            int srcOff = pickA ? aOff : bOff;
            if ((pickA ? aStride : bStride) == 0) fill(src[srcOff], out, outOff, n);
            else System.arraycopy(src, srcOff, out, outOff, n);
            return;
        }
        int i = 0;
        int bound = F.loopBound(n);
        if (aStride == 1 && bStride == 1) {
            for (; i < bound; i += L) {
                VectorMask<Float> m = VectorMask.fromArray(F, cond, cOff + i);
                load(b, bOff + i).blend(load(a, aOff + i), m).intoArray(out, outOff + i);
            }
        } else if (aStride == 1) {
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) {
                VectorMask<Float> m = VectorMask.fromArray(F, cond, cOff + i);
                vb.blend(load(a, aOff + i), m).intoArray(out, outOff + i);
            }
        } else if (bStride == 1) {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) {
                VectorMask<Float> m = VectorMask.fromArray(F, cond, cOff + i);
                load(b, bOff + i).blend(va, m).intoArray(out, outOff + i);
            }
        } else {
            FloatVector va = FloatVector.broadcast(F, a[aOff]);
            FloatVector vb = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) {
                VectorMask<Float> m = VectorMask.fromArray(F, cond, cOff + i);
                vb.blend(va, m).intoArray(out, outOff + i);
            }
        }
        ElementwiseF32Scalar.where(cond, cOff + i, 1, a, aOff + i * aStride, aStride, b, bOff + i * bStride, bStride,
                out, outOff + i, n - i);
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }
}
