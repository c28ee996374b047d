package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import fathom.backend.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both unary implementations, the vector kernels and their scalar twins, against double-precision
 * references over {@link Samples#LENGTHS} at nonzero offsets, special values included.
 *
 * <p>Tolerances, in float ulps of the exact result (see {@link #ulps}): 0.5 for the correctly rounded
 * ops (neg, abs, sqrt, reciprocal, square, relu, sign are exact or one rounding); 1 for the
 * transcendentals (Fathom's exp measured at most 0.97 ulp, the JDK's SVML stubs 0.84, {@code Math}
 * 0.5 plus the final rounding); 1.5 for tanh ({@code (1 − e)/(1 + e)} from Fathom's exp, measured
 * 1.49); 2 for rsqrt (two roundings) and softplus (two dependent transcendental steps); 2.5 for
 * sigmoid ({@code e/(1 + e)}, measured 2.12);
 * 3 for SiLU; 8 for exact GELU (a degree-10 fit with float coefficients, about 5 ulp by itself);
 * for tanh-GELU {@code 4 + 3|z|} with {@code z = √(2/π)(x + 0.044715x³)}, because z is formed in
 * float and the result's relative sensitivity to z is about |z| in the negative tail. Results below
 * the normal range are also allowed an absolute {@code 2^-126·max(1, |x|)}, since a subnormal holds
 * fewer significant bits than its ulp measure suggests.
 */
class UnaryF32Test {
    interface Unary {
        void apply(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n);
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            cases.add(Arguments.of("scalar", op));
            cases.add(Arguments.of("vector", op));
        }
        return cases;
    }

    static Unary impl(String name) {
        if (name.equals("vector")) {
            assumeTrue(Samples.VECTOR, "jdk.incubator.vector not in the boot layer");
            return UnaryF32Vector::unary;
        }
        return UnaryF32Scalar::unary;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesDoubleReference(String implName, UnaryOp op) {
        Unary impl = impl(implName);
        SplittableRandom rnd = new SplittableRandom(op.ordinal() * 7919L + 1);
        double worst = 0;
        for (int n : Samples.LENGTHS) {
            float[] x = Samples.mixed(rnd, Samples.X_OFF, n, true);
            float[] out = Samples.output(Samples.OUT_OFF, n);
            impl.apply(op, x, Samples.X_OFF, out, Samples.OUT_OFF, n);
            Samples.assertUntouched(out, Samples.OUT_OFF, n, op + " n=" + n);
            for (int i = 0; i < n; i++) {
                float xi = x[Samples.X_OFF + i];
                double ref = reference(op, xi);
                double slack = Float.MIN_NORMAL * Math.max(1, Math.abs((double) xi));
                String what = implName + " " + op + " n=" + n + " x=" + xi;
                Samples.assertClose(out[Samples.OUT_OFF + i], ref, ulps(op, xi), slack, what);
                worst = Math.max(worst, Samples.ulpError(out[Samples.OUT_OFF + i], ref, slack));
            }
        }
        System.out.printf("unary %-6s %-10s max error %.2f ulp%n", implName, op, worst);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void worksInPlace(String implName, UnaryOp op) {
        Unary impl = impl(implName);
        SplittableRandom rnd = new SplittableRandom(42);
        float[] x = Samples.mixed(rnd, Samples.X_OFF, 100, true);
        float[] expected = Samples.output(Samples.X_OFF, 100);
        impl.apply(op, x, Samples.X_OFF, expected, Samples.X_OFF, 100);
        impl.apply(op, x, Samples.X_OFF, x, Samples.X_OFF, 100);
        for (int i = 0; i < 100; i++) Samples.assertSame(x[Samples.X_OFF + i], expected[Samples.X_OFF + i], op + " in place " + i);
    }

    @Test
    void dispatcherAgreesWithTheImplementationSimdSelects() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = Samples.mixed(rnd, 0, 33, true);
        float[] viaDispatcher = new float[33];
        float[] direct = new float[33];
        ElementwiseF32.unary(UnaryOp.GELU, x, 0, viaDispatcher, 0, 33);
        if (Simd.ENABLED) UnaryF32Vector.unary(UnaryOp.GELU, x, 0, direct, 0, 33);
        else UnaryF32Scalar.unary(UnaryOp.GELU, x, 0, direct, 0, 33);
        for (int i = 0; i < 33; i++) Samples.assertSame(viaDispatcher[i], direct[i], "dispatch " + i);
    }

    @Test
    void referenceNormalCdfIsRight() {
        // Tabulated values of Φ; guards the test's own erfc.
        assertEquals(0.8413447460685429, 0.5 * erfc(-1 / Math.sqrt(2)), 1e-15);
        assertEquals(2.866515718791939e-7, 0.5 * erfc(5 / Math.sqrt(2)), 1e-20);
        assertEquals(0.5, 0.5 * erfc(0), 0);
        assertEquals(7.61985302416047e-24, 0.5 * erfc(10 / Math.sqrt(2)), 1e-36);
    }

    @Test
    void specialValuesFollowPyTorch() {
        float inf = Float.POSITIVE_INFINITY;
        for (String name : new String[] {"scalar", "vector"}) {
            if (name.equals("vector") && !Samples.VECTOR) continue;
            Unary impl = impl(name);
            checkSpecial(impl, UnaryOp.SIGN, -0f, 0f);
            checkSpecial(impl, UnaryOp.SIGN, Float.NaN, Float.NaN);
            checkSpecial(impl, UnaryOp.RELU, Float.NaN, Float.NaN);
            checkSpecial(impl, UnaryOp.RELU, -3f, 0f);
            checkSpecial(impl, UnaryOp.SIGMOID, -inf, 0f);
            checkSpecial(impl, UnaryOp.SIGMOID, inf, 1f);
            checkSpecial(impl, UnaryOp.SIGMOID, -200f, 0f);
            checkSpecial(impl, UnaryOp.SOFTPLUS, 1e30f, 1e30f);
            checkSpecial(impl, UnaryOp.SOFTPLUS, -200f, 0f);
            checkSpecial(impl, UnaryOp.GELU, inf, inf);
            checkSpecial(impl, UnaryOp.GELU, -inf, Float.NaN);
            checkSpecial(impl, UnaryOp.GELU, -1e30f, -0f);
            checkSpecial(impl, UnaryOp.GELU, 13.5f, 13.5f); // beyond UnaryF32Scalar.NORMAL_TAIL_END: Φ is 1 or 0
            checkSpecial(impl, UnaryOp.GELU, -13.5f, -0f);
            checkSpecial(impl, UnaryOp.GELU_TANH, inf, inf);
            checkSpecial(impl, UnaryOp.RSQRT, -0f, -inf);
            checkSpecial(impl, UnaryOp.LOG, -0f, -inf);
        }
    }

    @Test
    void geluDerivativeIsOneOrZeroBeyondTheNormalTail() {
        float[] x = {13.01f, 50f, 1e30f, -13.01f, -50f, -1e30f, 12.5f, -12.5f};
        float[] out = new float[x.length];
        float[] d = new float[x.length];
        GeluF32Scalar.withDerivative(x, 0, out, 0, d, 0, x.length);
        for (int i = 0; i < 6; i++) {
            assertEquals(x[i] > 0 ? 1f : 0f, d[i], 0f, "GELU'(" + x[i] + ")");
        }
        // inside the tail the derivative is still Φ + x·φ, a normal float: Φ(-12.5) - 12.5·φ(12.5) ≈ -5.85e-34
        double want = 0.5 * erfc(12.5 / Math.sqrt(2)) - 12.5 * Math.exp(-78.125) / Math.sqrt(2 * Math.PI);
        assertEquals(want, d[7], 1e-2 * Math.abs(want));
        assertEquals(1f, d[6], 0f);
        if (Samples.VECTOR) {
            float[] xs = new float[16 * x.length];
            for (int i = 0; i < xs.length; i++) xs[i] = x[i % x.length];
            float[] vOut = new float[xs.length];
            float[] vd = new float[xs.length];
            GeluF32Vector.withDerivative(xs, 0, vOut, 0, vd, 0, xs.length);
            for (int i = 0; i < xs.length; i++) {
                Samples.assertSame(vOut[i], out[i % x.length], "vector GELU(" + xs[i] + ")");
                Samples.assertSame(vd[i], d[i % x.length], "vector GELU'(" + xs[i] + ")");
            }
        }
    }

    private static void checkSpecial(Unary impl, UnaryOp op, float x, float want) {
        // Padded to 17 elements so the value also goes through a full vector, not just the tail.
        float[] in = new float[17];
        java.util.Arrays.fill(in, x);
        float[] out = new float[17];
        impl.apply(op, in, 0, out, 0, 17);
        for (int i = 0; i < 17; i++) Samples.assertSame(out[i], want, op + "(" + x + ") at " + i);
    }

    /** The allowed error of op at x in ulps, as documented on the class. */
    static double ulps(UnaryOp op, float x) {
        return switch (op) {
            case NEG, ABS, SQRT, RECIPROCAL, SQUARE, RELU, SIGN, ERF -> 0.5;
            case EXP, LOG, SIN, COS, LOG1P, EXPM1 -> 1;
            case TANH -> 1.5;
            case RSQRT, SOFTPLUS -> 2;
            case SIGMOID -> 2.5;
            case SILU -> 3;
            case GELU -> 8;
            case GELU_TANH -> {
                double z = Math.abs(tanhArgument(x));
                yield 4 + 3 * (Double.isFinite(z) ? z : 0);
            }
        };
    }

    private static double tanhArgument(double x) {
        return 0.7978845608028654 * (x + 0.044715 * x * x * x);
    }

    /** The exact op in double from textbook formulas (and {@code (1 + tanh z)/2 = 1/(1 + e^-2z)}, which double evaluates without cancellation). */
    static double reference(UnaryOp op, float xf) {
        double x = xf;
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> x < 0 ? 0 : x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : Double.NaN;
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case GELU -> x * 0.5 * erfc(-x / Math.sqrt(2));
            case GELU_TANH -> x / (1 + Math.exp(-2 * tanhArgument(x)));
            case SILU -> x / (1 + Math.exp(-x));
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case SQUARE -> x * x;
            case ERF -> fathom.backend.Erf.erf(x);
        };
    }

    /**
     * erfc in double: for |x| < 2 from the all-positive series
     * {@code erf x = (2/√π) e^{-x²} Σ 2^k x^{2k+1} / (1·3···(2k+1))}; beyond, Laplace's continued
     * fraction {@code erfc x = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}.
     */
    static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x < 0) return 2 - erfc(-x);
        if (x == Double.POSITIVE_INFINITY) return 0;
        if (x < 2) {
            double term = x, sum = x;
            for (int k = 1; k < 200 && term > 1e-18 * sum; k++) {
                term *= 2 * x * x / (2 * k + 1);
                sum += term;
            }
            return 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
        }
        double t = x;
        for (int k = 300; k >= 1; k--) t = x + (k / 2.0) / t;
        return Math.exp(-x * x) / (Math.sqrt(Math.PI) * t);
    }
}
