package fathom.cpu;

import fathom.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for {@code out[outOff + i] = op(x[xOff + i])}, {@code 0 <= i < n}; loaded only
 * when {@link Simd#ENABLED}, the tail after {@code loopBound} runs {@link UnaryF32Scalar}.
 *
 * <p>Every op has its own loop: the Vector API intrinsics need the operator as a JIT-time
 * constant, and one shared loop taking the op as a parameter falls back to boxed per-lane code
 * (measured 10 to 15 times slower). exp, tanh and everything built on them (sigmoid, SiLU, both
 * GELUs) use {@link ExpF32Vector}, so they equal their scalar twins bit for bit on every JIT tier.
 * LOG, SIN, COS, LOG1P, EXPM1 (and softplus, through LOG1P) still use {@code lanewise}: on x86-64 the
 * JDK's SVML stubs once C2 compiles them (measured within 0.84 ulp, 7 to 15 times faster than a
 * {@code Math} loop on AVX2), {@code Math} in the interpreter, so those can differ in the last bit
 * between a cold and a warm JVM.
 */
final class UnaryF32Vector {
    /** The width {@link Simd#BITS} selects; the preferred width when vectors are off, so tests can still call this class. */
    static final VectorSpecies<Float> F = Simd.ENABLED
            ? VectorSpecies.of(float.class, VectorShape.forBitSize(Simd.BITS))
            : FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** {@link UnaryF32Scalar#NORMAL_TAIL} copied into fields, so the JIT sees each coefficient as a constant. */
    static final float P0 = UnaryF32Scalar.NORMAL_TAIL[0], P1 = UnaryF32Scalar.NORMAL_TAIL[1],
            P2 = UnaryF32Scalar.NORMAL_TAIL[2], P3 = UnaryF32Scalar.NORMAL_TAIL[3],
            P4 = UnaryF32Scalar.NORMAL_TAIL[4], P5 = UnaryF32Scalar.NORMAL_TAIL[5],
            P6 = UnaryF32Scalar.NORMAL_TAIL[6], P7 = UnaryF32Scalar.NORMAL_TAIL[7],
            P8 = UnaryF32Scalar.NORMAL_TAIL[8], P9 = UnaryF32Scalar.NORMAL_TAIL[9],
            P10 = UnaryF32Scalar.NORMAL_TAIL[10];
    private static final float TWO_BETA = UnaryF32Scalar.TWO_BETA;
    private static final float TWO_BETA_KAPPA = UnaryF32Scalar.TWO_BETA_KAPPA;

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
    // elements it did; the tail is left to the scalar twin. Loads are FloatVector.fromArray written
    // out, not a helper: a helper returning a vector boxes it whenever C2 does not inline the call.

    private static int neg(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.neg().intoArray(out, outOff + i);
        }
        return i;
    }

    private static int log(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.lanewise(VectorOperators.LOG).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sqrt(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.sqrt().intoArray(out, outOff + i);
        }
        return i;
    }

    private static int rsqrt(float[] x, int xOff, float[] out, int outOff, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            // A true division, not the ~12-bit hardware reciprocal-sqrt estimate.
            one.div(v.sqrt()).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int reciprocal(float[] x, int xOff, float[] out, int outOff, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            one.div(v).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sin(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.lanewise(VectorOperators.SIN).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int cos(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.lanewise(VectorOperators.COS).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int relu(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int abs(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.abs().intoArray(out, outOff + i);
        }
        return i;
    }

    private static int sign(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
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
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.lanewise(VectorOperators.LOG1P).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int expm1(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.lanewise(VectorOperators.EXPM1).intoArray(out, outOff + i);
        }
        return i;
    }

    private static int square(float[] x, int xOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.mul(v).intoArray(out, outOff + i);
        }
        return i;
    }

    // ---- exp and the functions built on it: passes over chunks of ExpF32Vector.CHUNK ----
    //
    // A pass computes the exponential's argument into the scratch row, ExpF32Vector.expShift
    // exponentiates it in place, and a last pass forms the result from x and the exponential, each
    // lane exactly as the scalar twin (whose ...FromExp functions finish the tails). No loop here
    // calls a helper taking vectors, for the reason ExpF32Vector gives; they return n, all done.

    private static int exp(float[] x, int xOff, float[] out, int outOff, int n) {
        ExpF32Vector.expShift(x, xOff, 0f, out, outOff, n);
        return n;
    }

    private static int sigmoid(float[] x, int xOff, float[] out, int outOff, int n) {
        float[] t = ExpF32Vector.scratch();
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int start = 0; start < n; start += ExpF32Vector.CHUNK) {
            int m = Math.min(ExpF32Vector.CHUNK, n - start);
            int xs = xOff + start;
            int os = outOff + start;
            int i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) FloatVector.fromArray(F, x, xs + i).abs().neg().intoArray(t, i);
            for (; i < m; i++) t[i] = -Math.abs(x[xs + i]);
            ExpF32Vector.expShift(t, 0, 0f, t, 0, m);
            i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xs + i);
                FloatVector e = FloatVector.fromArray(F, t, i);
                one.blend(e, v.compare(VectorOperators.LT, 0f)).div(e.add(1f)).intoArray(out, os + i);
            }
            for (; i < m; i++) out[os + i] = ExpF32Scalar.sigmoidFromExp(x[xs + i], t[i]);
        }
        return n;
    }

    private static int silu(float[] x, int xOff, float[] out, int outOff, int n) {
        float[] t = ExpF32Vector.scratch();
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int start = 0; start < n; start += ExpF32Vector.CHUNK) {
            int m = Math.min(ExpF32Vector.CHUNK, n - start);
            int xs = xOff + start;
            int os = outOff + start;
            int i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) FloatVector.fromArray(F, x, xs + i).abs().neg().intoArray(t, i);
            for (; i < m; i++) t[i] = -Math.abs(x[xs + i]);
            ExpF32Vector.expShift(t, 0, 0f, t, 0, m);
            i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xs + i);
                FloatVector e = FloatVector.fromArray(F, t, i);
                v.mul(one.blend(e, v.compare(VectorOperators.LT, 0f)).div(e.add(1f))).intoArray(out, os + i);
            }
            for (; i < m; i++) out[os + i] = x[xs + i] * ExpF32Scalar.sigmoidFromExp(x[xs + i], t[i]);
        }
        return n;
    }

    private static int geluTanh(float[] x, int xOff, float[] out, int outOff, int n) {
        // x·sigmoid(2z), 2z = x·(2β + 2βκ·x²): (1 + tanh z)/2 = sigmoid(2z) has no cancellation for x < 0
        float[] t = ExpF32Vector.scratch();
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int start = 0; start < n; start += ExpF32Vector.CHUNK) {
            int m = Math.min(ExpF32Vector.CHUNK, n - start);
            int xs = xOff + start;
            int os = outOff + start;
            int i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xs + i);
                v.mul(v.mul(v).fma(TWO_BETA_KAPPA, TWO_BETA)).abs().neg().intoArray(t, i);
            }
            for (; i < m; i++) t[i] = -Math.abs(UnaryF32Scalar.geluTanhArgument(x[xs + i]));
            ExpF32Vector.expShift(t, 0, 0f, t, 0, m);
            i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xs + i);
                FloatVector z = v.mul(v.mul(v).fma(TWO_BETA_KAPPA, TWO_BETA));
                FloatVector e = FloatVector.fromArray(F, t, i);
                v.mul(one.blend(e, z.compare(VectorOperators.LT, 0f)).div(e.add(1f))).intoArray(out, os + i);
            }
            for (; i < m; i++) {
                float v = x[xs + i];
                out[os + i] = v * ExpF32Scalar.sigmoidFromExp(UnaryF32Scalar.geluTanhArgument(v), t[i]);
            }
        }
        return n;
    }

    private static int tanh(float[] x, int xOff, float[] out, int outOff, int n) {
        float[] t = ExpF32Vector.scratch();
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector t4 = FloatVector.broadcast(F, ExpF32Scalar.T4);
        FloatVector t2 = FloatVector.broadcast(F, ExpF32Scalar.T2);
        FloatVector t1 = FloatVector.broadcast(F, ExpF32Scalar.T1);
        FloatVector t0 = FloatVector.broadcast(F, ExpF32Scalar.T0);
        for (int start = 0; start < n; start += ExpF32Vector.CHUNK) {
            int m = Math.min(ExpF32Vector.CHUNK, n - start);
            int xs = xOff + start;
            int os = outOff + start;
            int i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) FloatVector.fromArray(F, x, xs + i).abs().mul(-2f).intoArray(t, i);
            for (; i < m; i++) t[i] = Math.abs(x[xs + i]) * -2f;
            ExpF32Vector.expShift(t, 0, 0f, t, 0, m);
            i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                // the steps of ExpF32Scalar.tanhFromExp
                FloatVector v = FloatVector.fromArray(F, x, xs + i);
                FloatVector e = FloatVector.fromArray(F, t, i);
                FloatVector big = e.neg().add(1f).div(e.add(1f));
                big = big.blend(big.neg(), v.compare(VectorOperators.LT, 0f));
                FloatVector z = v.mul(v);
                FloatVector p = z.fma(t4, FloatVector.broadcast(F, ExpF32Scalar.T3)).fma(z, t2).fma(z, t1).fma(z, t0);
                FloatVector small = v.mul(z.fma(p, one));
                small.blend(big, v.abs().compare(VectorOperators.GT, ExpF32Scalar.TANH_SMALL)).intoArray(out, os + i);
            }
            for (; i < m; i++) out[os + i] = ExpF32Scalar.tanhFromExp(x[xs + i], t[i]);
        }
        return n;
    }

    private static int gelu(float[] x, int xOff, float[] out, int outOff, int n) {
        float[] t = ExpF32Vector.scratch();
        for (int start = 0; start < n; start += ExpF32Vector.CHUNK) {
            int m = Math.min(ExpF32Vector.CHUNK, n - start);
            int xs = xOff + start;
            int os = outOff + start;
            gaussianExponents(x, xs, t, m);
            ExpF32Vector.expShift(t, 0, 0f, t, 0, m);
            int i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                // the steps of UnaryF32Scalar.normalCdfFromExp
                FloatVector v = FloatVector.fromArray(F, x, xs + i);
                FloatVector ax = v.abs().max(UnaryF32Scalar.NORMAL_TAIL_TINY).min(UnaryF32Scalar.NORMAL_TAIL_END);
                FloatVector hi = ax.mul(ax);
                FloatVector e = FloatVector.fromArray(F, t, i);
                e = e.fma(ax.fma(ax, hi.neg()).mul(-0.5f), e)
                        .blend(0f, v.abs().compare(VectorOperators.GT, UnaryF32Scalar.NORMAL_TAIL_END));
                FloatVector u = FloatVector.broadcast(F, 1f).div(ax.fma(UnaryF32Scalar.NORMAL_TAIL_SCALE, 1f));
                FloatVector q = u.fma(P10, P9).fma(u, FloatVector.broadcast(F, P8)).fma(u, FloatVector.broadcast(F, P7))
                        .fma(u, FloatVector.broadcast(F, P6)).fma(u, FloatVector.broadcast(F, P5))
                        .fma(u, FloatVector.broadcast(F, P4)).fma(u, FloatVector.broadcast(F, P3))
                        .fma(u, FloatVector.broadcast(F, P2)).fma(u, FloatVector.broadcast(F, P1))
                        .fma(u, FloatVector.broadcast(F, P0)).mul(0.5f).mul(e);
                v.mul(q.neg().add(1f).blend(q, v.compare(VectorOperators.LT, 0f))).intoArray(out, os + i);
            }
            for (; i < m; i++) out[os + i] = x[xs + i] * UnaryF32Scalar.normalCdfFromExp(x[xs + i], t[i]);
        }
        return n;
    }

    /** {@code t[i] = -ax²/2} for {@code i < m}, as {@link UnaryF32Scalar#gaussianExponent}. */
    static void gaussianExponents(float[] x, int xOff, float[] t, int m) {
        int i = 0;
        for (int bound = F.loopBound(m); i < bound; i += L) {
            FloatVector ax = FloatVector.fromArray(F, x, xOff + i).abs()
                    .max(UnaryF32Scalar.NORMAL_TAIL_TINY).min(UnaryF32Scalar.NORMAL_TAIL_END);
            ax.mul(ax).mul(-0.5f).intoArray(t, i);
        }
        for (; i < m; i++) t[i] = UnaryF32Scalar.gaussianExponent(x[xOff + i]);
    }

    private static int softplus(float[] x, int xOff, float[] out, int outOff, int n) {
        float[] t = ExpF32Vector.scratch();
        for (int start = 0; start < n; start += ExpF32Vector.CHUNK) {
            int m = Math.min(ExpF32Vector.CHUNK, n - start);
            int xs = xOff + start;
            int os = outOff + start;
            ExpF32Vector.expShift(x, xs, 0f, t, 0, m);
            int i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xs + i);
                FloatVector.fromArray(F, t, i).lanewise(VectorOperators.LOG1P)
                        .blend(v, v.compare(VectorOperators.GT, UnaryF32Scalar.SOFTPLUS_THRESHOLD)).intoArray(out, os + i);
            }
            for (; i < m; i++) out[os + i] = UnaryF32Scalar.softplusFromExp(x[xs + i], t[i]);
        }
        return n;
    }

}
