package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import fathom.backend.BinaryOp;
import fathom.backend.CompareOp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both implementations of the binary ops, comparisons, where, axpy, scale and fill against double
 * references, for every stride combination over {@link Samples#LENGTHS} at nonzero offsets.
 *
 * <p>Tolerances: add, sub, mul, div, maximum, minimum, scale, fill, compare and where must be exact
 * (one IEEE rounding of the double result, which double computes exactly for + - × ÷ of floats);
 * pow within 1 ulp of {@link Math#pow} with C's special cases; axpy within one rounding of the
 * exact result plus one ulp of the larger of |y| and |αx| (the vector path fuses the multiply-add,
 * the scalar path rounds the product first).
 */
class ElementwiseF32Test {
    static final int[][] STRIDES = {{1, 1}, {1, 0}, {0, 1}, {0, 0}};

    static List<Arguments> binaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] s : STRIDES) {
                cases.add(Arguments.of("scalar", op, s[0], s[1]));
                cases.add(Arguments.of("vector", op, s[0], s[1]));
            }
        }
        return cases;
    }

    static void assumeImpl(String name) {
        if (name.equals("vector")) assumeTrue(Samples.VECTOR, "jdk.incubator.vector not in the boot layer");
    }

    static void binary(String impl, BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int n) {
        if (impl.equals("vector")) ElementwiseF32Vector.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
        else ElementwiseF32Scalar.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
    }

    /** Inputs for op: mixed values, plus for POW small integer exponents and negative bases, for which pow is defined. */
    static float[] operand(SplittableRandom rnd, BinaryOp op, boolean exponent, int offset, int n) {
        float[] x = Samples.mixed(rnd, offset, n, true);
        if (op == BinaryOp.POW && exponent) {
            for (int i = offset; i < x.length; i++) {
                if (rnd.nextInt(3) == 0) x[i] = rnd.nextInt(-4, 5);
                else if (rnd.nextInt(2) == 0) x[i] = (float) rnd.nextDouble(-3, 3);
            }
        }
        return x;
    }

    @ParameterizedTest(name = "{0} {1} strides ({2},{3})")
    @MethodSource("binaryCases")
    void binaryMatchesReference(String impl, BinaryOp op, int aStride, int bStride) {
        assumeImpl(impl);
        SplittableRandom rnd = new SplittableRandom(op.ordinal() * 31L + aStride * 2 + bStride);
        for (int n : Samples.LENGTHS) {
            float[] a = operand(rnd, op, false, Samples.X_OFF, Math.max(n, 1));
            float[] b = operand(rnd, op, true, Samples.Y_OFF, Math.max(n, 1));
            if (op == BinaryOp.POW && bStride == 0 && rnd.nextBoolean()) b[Samples.Y_OFF] = 2f;
            float[] out = Samples.output(Samples.OUT_OFF, n);
            binary(impl, op, a, Samples.X_OFF, aStride, b, Samples.Y_OFF, bStride, out, Samples.OUT_OFF, n);
            Samples.assertUntouched(out, Samples.OUT_OFF, n, op + " n=" + n);
            for (int i = 0; i < n; i++) {
                float ai = a[Samples.X_OFF + i * aStride];
                float bi = b[Samples.Y_OFF + i * bStride];
                float got = out[Samples.OUT_OFF + i];
                String what = impl + " " + op + "(" + ai + ", " + bi + ") n=" + n + " i=" + i;
                if (op == BinaryOp.POW) Samples.assertClose(got, referencePow(ai, bi), 1, 0, what);
                else Samples.assertSame(got, (float) reference(op, ai, bi), what);
            }
        }
    }

    static double reference(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case POW -> referencePow(a, b);
        };
    }

    /** C's pow: Java's Math.pow except {@code pow(1, y) = 1} and {@code pow(-1, ±inf) = 1}. */
    static double referencePow(double a, double b) {
        if (a == 1 || (a == -1 && Double.isInfinite(b))) return 1;
        return Math.pow(a, b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void binaryWorksInPlaceAndWithNaNs(String impl) {
        assumeImpl(impl);
        SplittableRandom rnd = new SplittableRandom(9);
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] s : STRIDES) {
                if (s[0] == 0) continue;
                float[] a = Samples.mixed(rnd, Samples.X_OFF, 100, true);
                float[] b = Samples.mixed(rnd, Samples.Y_OFF, 100, true);
                float[] expected = Samples.output(Samples.X_OFF, 100);
                binary(impl, op, a, Samples.X_OFF, s[0], b, Samples.Y_OFF, s[1], expected, Samples.X_OFF, 100);
                binary(impl, op, a, Samples.X_OFF, s[0], b, Samples.Y_OFF, s[1], a, Samples.X_OFF, 100);
                for (int i = 0; i < 100; i++) Samples.assertSame(a[Samples.X_OFF + i], expected[Samples.X_OFF + i], op + " in place");
            }
        }
        float[] nanAndOne = {Float.NaN, 1f, -0f, 0f};
        float[] oneAndNaN = {1f, Float.NaN, 0f, -0f};
        float[] out = new float[4];
        binary(impl, BinaryOp.MAXIMUM, nanAndOne, 0, 1, oneAndNaN, 0, 1, out, 0, 4);
        Samples.assertSame(out[0], Float.NaN, "maximum(NaN, 1)");
        Samples.assertSame(out[1], Float.NaN, "maximum(1, NaN)");
        binary(impl, BinaryOp.POW, new float[] {1f, -1f, Float.NaN}, 0, 1,
                new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 0f}, 0, 1, out, 0, 3);
        Samples.assertSame(out[0], 1f, "pow(1, NaN)");
        Samples.assertSame(out[1], 1f, "pow(-1, -inf)");
        Samples.assertSame(out[2], 1f, "pow(NaN, 0)");
    }

    @Test
    void dispatcherRejectsOtherStrides() {
        float[] a = new float[8];
        assertThrows(IllegalArgumentException.class, () -> ElementwiseF32.binary(BinaryOp.ADD, a, 0, 2, a, 0, 1, a, 0, 4));
    }

    static List<Arguments> compareCases() {
        List<Arguments> cases = new ArrayList<>();
        for (CompareOp op : CompareOp.values()) {
            for (int[] s : STRIDES) {
                cases.add(Arguments.of("scalar", op, s[0], s[1]));
                cases.add(Arguments.of("vector", op, s[0], s[1]));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} strides ({2},{3})")
    @MethodSource("compareCases")
    void compareMatchesReference(String impl, CompareOp op, int aStride, int bStride) {
        assumeImpl(impl);
        SplittableRandom rnd = new SplittableRandom(op.ordinal() * 17L + aStride * 2 + bStride);
        for (int n : Samples.LENGTHS) {
            float[] a = Samples.mixed(rnd, Samples.X_OFF, Math.max(n, 1), true);
            float[] b = Samples.mixed(rnd, Samples.Y_OFF, Math.max(n, 1), true);
            // Copy some elements across so equality is exercised, not only inequality.
            for (int i = 0; i < n; i += 3) b[Samples.Y_OFF + i * bStride] = a[Samples.X_OFF + i * aStride];
            boolean[] out = new boolean[Samples.OUT_OFF + n + 2];
            out[Samples.OUT_OFF - 1] = true;
            out[Samples.OUT_OFF + n] = true;
            if (impl.equals("vector")) ElementwiseF32Vector.compare(op, a, Samples.X_OFF, aStride, b, Samples.Y_OFF, bStride, out, Samples.OUT_OFF, n);
            else ElementwiseF32Scalar.compare(op, a, Samples.X_OFF, aStride, b, Samples.Y_OFF, bStride, out, Samples.OUT_OFF, n);
            assertEquals(true, out[Samples.OUT_OFF - 1], "wrote before the range");
            assertEquals(true, out[Samples.OUT_OFF + n], "wrote after the range");
            for (int i = 0; i < n; i++) {
                double ai = a[Samples.X_OFF + i * aStride];
                double bi = b[Samples.Y_OFF + i * bStride];
                boolean want = switch (op) {
                    case EQ -> ai == bi;
                    case NE -> ai != bi;
                    case LT -> ai < bi;
                    case LE -> ai <= bi;
                    case GT -> ai > bi;
                    case GE -> ai >= bi;
                };
                assertEquals(want, out[Samples.OUT_OFF + i], impl + " " + ai + " " + op + " " + bi);
            }
        }
    }

    static List<Arguments> whereCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int c = 0; c <= 1; c++) {
            for (int[] s : STRIDES) {
                cases.add(Arguments.of("scalar", c, s[0], s[1]));
                cases.add(Arguments.of("vector", c, s[0], s[1]));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} strides cond {1} a {2} b {3}")
    @MethodSource("whereCases")
    void whereMatchesReference(String impl, int cStride, int aStride, int bStride) {
        assumeImpl(impl);
        SplittableRandom rnd = new SplittableRandom(cStride * 4L + aStride * 2 + bStride);
        for (int n : Samples.LENGTHS) {
            for (int trial = 0; trial < 2; trial++) {
                int m = Math.max(n, 1);
                boolean[] cond = new boolean[2 + m];
                for (int i = 0; i < m; i++) cond[2 + i] = rnd.nextBoolean();
                float[] a = Samples.mixed(rnd, Samples.X_OFF, m, true);
                float[] b = Samples.mixed(rnd, Samples.Y_OFF, m, true);
                float[] out = Samples.output(Samples.OUT_OFF, n);
                if (impl.equals("vector")) ElementwiseF32Vector.where(cond, 2, cStride, a, Samples.X_OFF, aStride, b, Samples.Y_OFF, bStride, out, Samples.OUT_OFF, n);
                else ElementwiseF32Scalar.where(cond, 2, cStride, a, Samples.X_OFF, aStride, b, Samples.Y_OFF, bStride, out, Samples.OUT_OFF, n);
                Samples.assertUntouched(out, Samples.OUT_OFF, n, "where n=" + n);
                for (int i = 0; i < n; i++) {
                    float want = cond[2 + i * cStride] ? a[Samples.X_OFF + i * aStride] : b[Samples.Y_OFF + i * bStride];
                    Samples.assertSame(out[Samples.OUT_OFF + i], want, impl + " where n=" + n + " i=" + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void reluBackwardKeepsTheGradientWhereTheInputIsPositiveOrNaN(String impl) {
        assumeImpl(impl);
        SplittableRandom rnd = new SplittableRandom(8);
        float[] special = {0f, -0f, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int n : Samples.LENGTHS) {
            float[] x = Samples.uniform(rnd, Samples.X_OFF, n, -3, 3);
            for (int i = 0; i < n; i += 3) x[Samples.X_OFF + i] = special[(i / 3) % special.length];
            float[] g = Samples.uniform(rnd, Samples.Y_OFF, n, -5, 5);
            float[] out = Samples.output(Samples.OUT_OFF, n);
            if (impl.equals("vector")) ElementwiseF32Vector.reluBackward(x, Samples.X_OFF, g, Samples.Y_OFF, out, Samples.OUT_OFF, n);
            else ElementwiseF32Scalar.reluBackward(x, Samples.X_OFF, g, Samples.Y_OFF, out, Samples.OUT_OFF, n);
            Samples.assertUntouched(out, Samples.OUT_OFF, n, "reluBackward");
            for (int i = 0; i < n; i++) {
                float xi = x[Samples.X_OFF + i];
                float want = xi > 0 || Float.isNaN(xi) ? g[Samples.Y_OFF + i] : 0f;
                Samples.assertSame(out[Samples.OUT_OFF + i], want, impl + " reluBackward x=" + xi + " n=" + n);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void axpyScaleAndFillMatchReference(String impl) {
        assumeImpl(impl);
        SplittableRandom rnd = new SplittableRandom(5);
        boolean vector = impl.equals("vector");
        for (int n : Samples.LENGTHS) {
            float alpha = (float) rnd.nextDouble(-3, 3);
            float[] x = Samples.uniform(rnd, Samples.X_OFF, n, -10, 10);
            float[] y = Samples.output(Samples.Y_OFF, n);
            for (int i = 0; i < n; i++) y[Samples.Y_OFF + i] = (float) rnd.nextDouble(-10, 10);
            float[] y0 = y.clone();
            if (vector) ElementwiseF32Vector.axpy(alpha, x, Samples.X_OFF, y, Samples.Y_OFF, n);
            else ElementwiseF32Scalar.axpy(alpha, x, Samples.X_OFF, y, Samples.Y_OFF, n);
            Samples.assertUntouched(y, Samples.Y_OFF, n, "axpy");
            for (int i = 0; i < n; i++) {
                double xi = x[Samples.X_OFF + i], yi = y0[Samples.Y_OFF + i];
                double slack = Samples.ulp(Math.max(Math.abs(yi), Math.abs(alpha * xi)));
                Samples.assertClose(y[Samples.Y_OFF + i], yi + alpha * xi, 0.5, slack, impl + " axpy n=" + n);
            }

            float[] z = Samples.output(Samples.X_OFF, n);
            for (int i = 0; i < n; i++) z[Samples.X_OFF + i] = x[Samples.X_OFF + i];
            if (vector) ElementwiseF32Vector.scale(alpha, z, Samples.X_OFF, n);
            else ElementwiseF32Scalar.scale(alpha, z, Samples.X_OFF, n);
            Samples.assertUntouched(z, Samples.X_OFF, n, "scale");
            for (int i = 0; i < n; i++) Samples.assertSame(z[Samples.X_OFF + i], alpha * x[Samples.X_OFF + i], impl + " scale");

            float[] f = Samples.output(Samples.OUT_OFF, n);
            if (vector) ElementwiseF32Vector.fill(alpha, f, Samples.OUT_OFF, n);
            else ElementwiseF32Scalar.fill(alpha, f, Samples.OUT_OFF, n);
            Samples.assertUntouched(f, Samples.OUT_OFF, n, "fill");
            for (int i = 0; i < n; i++) Samples.assertSame(f[Samples.OUT_OFF + i], alpha, impl + " fill");
        }
    }
}
