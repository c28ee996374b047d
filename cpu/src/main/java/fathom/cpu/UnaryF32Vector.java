package fathom.cpu;

import fathom.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for {@code out[outOff + i] = op(x[xOff + i])}, {@code 0 <= i < n}; loaded only
 * when {@link Simd#ENABLED}, the tail after {@code loopBound} runs {@link UnaryF32Scalar}.
 *
 * <p>Every op has its own loop: the Vector API intrinsics need the operator as a JIT-time
 * constant, and one shared loop taking the op as a parameter falls back to boxed per-lane code
 * (measured 10 to 15 times slower). The transcendentals use {@code lanewise(EXP/LOG/TANH/SIN/COS/
 * LOG1P/EXPM1)}: on x86-64 these compile to the JDK's SVML stubs, which measured within 0.84 ulp of
 * the exact value over wide random ranges (special values exact) and 7 to 15 times faster than a
 * {@code Math} loop on AVX2, so they beat the scalar path on both counts.
 */
final class UnaryF32Vector {
    /** The width {@link Simd#BITS} selects; the preferred width when vectors are off, so tests can still call this class. */
    static final VectorSpecies<Float> F = Simd.ENABLED
            ? VectorSpecies.of(float.class, VectorShape.forBitSize(Simd.BITS))
            : FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** {@link UnaryF32Scalar#NORMAL_TAIL} copied into fields, so the JIT sees each coefficient as a constant. */
    private static final float P0 = UnaryF32Scalar.NORMAL_TAIL[0], P1 = UnaryF32Scalar.NORMAL_TAIL[1],
            P2 = UnaryF32Scalar.NORMAL_TAIL[2], P3 = UnaryF32Scalar.NORMAL_TAIL[3],
            P4 = UnaryF32Scalar.NORMAL_TAIL[4], P5 = UnaryF32Scalar.NORMAL_TAIL[5],
            P6 = UnaryF32Scalar.NORMAL_TAIL[6], P7 = UnaryF32Scalar.NORMAL_TAIL[7],
            P8 = UnaryF32Scalar.NORMAL_TAIL[8], P9 = UnaryF32Scalar.NORMAL_TAIL[9],
            P10 = UnaryF32Scalar.NORMAL_TAIL[10];
    private static final float TWO_BETA = (float) (2 * UnaryF32Scalar.GELU_TANH_BETA);
    private static final float TWO_BETA_KAPPA = (float) (2 * UnaryF32Scalar.GELU_TANH_BETA * UnaryF32Scalar.GELU_TANH_KAPPA);

    private UnaryF32Vector() {}

    /** Applies {@code op} elementwise; {@code out} may alias {@code x} at the same offset. */
    static void unary(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n) {
        int done = switch (op) {
            case NEG -> neg(x, xOff, out, outOff, n);
            case EXP -> exp(x, xOff, out, outOff, n);
            case LOG -> log(x, xOff, out, outOff, n);
            case SQRT -> sqrt(x, xOff, out, outOff, n);
            case RSQRT -> rsqrt(x, xOff, out, outOff, n);
            case RECIPROCAL -> reciprocal(x, xOff, out, outOff, n);
            case SIN -> sin(x, xOff, out, outOff, n);
            case COS -> cos(x, xOff, out, outOff, n);
            case TANH -> tanh(x, xOff, out, outOff, n);
            case SIGMOID -> sigmoid(x, xOff, out, outOff, n);
            case RELU -> relu(x, xOff, out, outOff, n);
            case ABS -> abs(x, xOff, out, outOff, n);
            case SIGN -> sign(x, xOff, out, outOff, n);
            case LOG1P -> log1p(x, xOff, out, outOff, n);
            case EXPM1 -> expm1(x, xOff, out, outOff, n);
            case GELU -> gelu(x, xOff, out, outOff, n);
            case GELU_TANH -> geluTanh(x, xOff, out, outOff, n);
            case SILU -> silu(x, xOff, out, outOff, n);
            case SOFTPLUS -> softplus(x, xOff, out, outOff, n);
            case SQUARE -> square(x, xOff, out, outOff, n);
            case ERF -> 0; // rare outside GELU's own kernel: the scalar twin does it all
        };
        UnaryF32Scalar.unary(op, x, xOff + done, out, outOff + done, n - done);
    }

    // Each kernel below is its own method, so that C2 compiles and inlines each loop on its own
    // budget: one method holding all twenty loops ran out of inlining budget and boxed vectors
    // (measured GELU 8.5 and tanh-GELU 18.7 ns per element before the split). Each returns how many
    // elements it did; the tail is left to the scalar twin.

    private static int neg(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.neg().intoArray(out, outOff + i);
        }
        return i;
    }

    private static int exp(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.lanewise(VectorOperators.EXP).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int log(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.lanewise(VectorOperators.LOG).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sqrt(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.sqrt().intoArray(out, outOff + i);
        }
        return i;
    }

    private static int rsqrt(float[] x, int xOff, float[] out, int outOff, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            // A true division, not the ~12-bit hardware reciprocal-sqrt estimate.
            one.div(v.sqrt()).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int reciprocal(float[] x, int xOff, float[] out, int outOff, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            one.div(v).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sin(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.lanewise(VectorOperators.SIN).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int cos(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.lanewise(VectorOperators.COS).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.lanewise(VectorOperators.TANH).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            sigmoid(v).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int relu(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int abs(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.abs().intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sign(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            // NaN matches no comparison and so keeps its own value.
            v.blend(1f, v.compare(VectorOperators.GT, 0f))
                    .blend(-1f, v.compare(VectorOperators.LT, 0f))
                    .blend(0f, v.compare(VectorOperators.EQ, 0f)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int log1p(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.lanewise(VectorOperators.LOG1P).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int expm1(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.lanewise(VectorOperators.EXPM1).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int gelu(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.mul(normalCdf(v)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int geluTanh(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            // 2·β·(x + κx³) = x·(2β + 2βκ·x²); (1 + tanh z)/2 = sigmoid(2z) has no cancellation for x < 0.
            v.mul(sigmoid(v.mul(v.mul(v).fma(TWO_BETA_KAPPA, TWO_BETA)))).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int silu(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.mul(sigmoid(v)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int softplus(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P)
                    .blend(v, v.compare(VectorOperators.GT, UnaryF32Scalar.SOFTPLUS_THRESHOLD)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int square(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = load(x, xOff + i);
            v.mul(v).intoArray(out, outOff + i);
        }
        return i;
    }

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }

    private static FloatVector splat(float v) {
        return FloatVector.broadcast(F, v);
    }

    /** {@code 1 / (1 + e^-x)} through {@code e = e^-|x|} (never overflows): 1/(1+e) for x ≥ 0, e/(1+e) for x < 0. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = x.abs().neg().lanewise(VectorOperators.EXP);
        FloatVector r = FloatVector.broadcast(F, 1f).div(e.add(1f));
        return r.blend(e.mul(r), x.compare(VectorOperators.LT, 0f));
    }

    /**
     * Φ(x) as in {@link UnaryF32Scalar#normalCdf}, in float: |x| is clamped at 20, where the tail
     * {@code exp(-x²/2)} is already 0 in float; {@code x²} is split exactly into {@code hi + lo} with an
     * FMA, because rounding x² before the exponential would cost about {@code x²/2} ulp.
     */
    static FloatVector normalCdf(FloatVector x) {
        FloatVector ax = x.abs().min(20f);
        FloatVector u = FloatVector.broadcast(F, 1f).div(ax.fma(UnaryF32Scalar.NORMAL_TAIL_SCALE, 1f));
        FloatVector p = u.fma(P10, P9);
        p = p.fma(u, splat(P8));
        p = p.fma(u, splat(P7));
        p = p.fma(u, splat(P6));
        p = p.fma(u, splat(P5));
        p = p.fma(u, splat(P4));
        p = p.fma(u, splat(P3));
        p = p.fma(u, splat(P2));
        p = p.fma(u, splat(P1));
        p = p.fma(u, splat(P0));
        FloatVector hi = ax.mul(ax);
        FloatVector lo = ax.fma(ax, hi.neg());
        FloatVector e = hi.mul(-0.5f).lanewise(VectorOperators.EXP);
        // e^(-lo/2) ≈ 1 - lo/2, since |lo| is below half an ulp of x².
        e = e.fma(lo.mul(-0.5f), e);
        FloatVector q = e.mul(p).mul(0.5f);
        VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
        return q.neg().add(1f).blend(q, negative);
    }
}
