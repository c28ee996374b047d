package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both reduction implementations against double references over {@link Samples#LENGTHS} and a
 * range of matrix shapes, at nonzero offsets.
 *
 * <p>Tolerances: max, min, argmax, argmin and maxRows/maxColumns are exact. A sum may be off by
 * {@code 48·2^-24·Σ|x|} plus one ulp of the result: the vector path sums each lane's share of a
 * 1024-element block in float (at most 32 additions per lane at 256 bits, a few more to combine lanes)
 * and adds block totals in double, so its error bound is independent of n; sumColumns uses 64-row
 * blocks and gets {@code 80·2^-24·Σ|x|}.
 */
class ReduceF32Test {
    interface Impl {
        float sum(float[] x, int off, int n);
        float max(float[] x, int off, int n);
        float min(float[] x, int off, int n);
        int argmax(float[] x, int off, int n);
        int argmin(float[] x, int off, int n);
        void sumRows(float[] x, int off, int rows, int cols, float[] out, int outOff);
        void sumColumns(float[] x, int off, int rows, int cols, float[] out, int outOff, boolean accumulate);
        void maxRows(float[] x, int off, int rows, int cols, float[] out, int outOff);
        void maxColumns(float[] x, int off, int rows, int cols, float[] out, int outOff);
    }

    static final class Scalar implements Impl {
        public float sum(float[] x, int off, int n) { return ReduceF32Scalar.sum(x, off, n); }
        public float max(float[] x, int off, int n) { return ReduceF32Scalar.max(x, off, n); }
        public float min(float[] x, int off, int n) { return ReduceF32Scalar.min(x, off, n); }
        public int argmax(float[] x, int off, int n) { return ReduceF32Scalar.argmax(x, off, n); }
        public int argmin(float[] x, int off, int n) { return ReduceF32Scalar.argmin(x, off, n); }
        public void sumRows(float[] x, int off, int rows, int cols, float[] out, int outOff) { ReduceF32Scalar.sumRows(x, off, rows, cols, out, outOff); }
        public void sumColumns(float[] x, int off, int rows, int cols, float[] out, int outOff, boolean acc) { ReduceF32Scalar.sumColumns(x, off, rows, cols, cols, out, outOff, acc); }
        public void maxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) { ReduceF32Scalar.maxRows(x, off, rows, cols, out, outOff); }
        public void maxColumns(float[] x, int off, int rows, int cols, float[] out, int outOff) { ReduceF32Scalar.maxColumns(x, off, rows, cols, out, outOff); }
    }

    static final class Vector implements Impl {
        public float sum(float[] x, int off, int n) { return ReduceF32Vector.sum(x, off, n); }
        public float max(float[] x, int off, int n) { return ReduceF32Vector.max(x, off, n); }
        public float min(float[] x, int off, int n) { return ReduceF32Vector.min(x, off, n); }
        public int argmax(float[] x, int off, int n) { return ReduceF32Vector.argmax(x, off, n); }
        public int argmin(float[] x, int off, int n) { return ReduceF32Vector.argmin(x, off, n); }
        public void sumRows(float[] x, int off, int rows, int cols, float[] out, int outOff) { ReduceF32Vector.sumRows(x, off, rows, cols, out, outOff); }
        public void sumColumns(float[] x, int off, int rows, int cols, float[] out, int outOff, boolean acc) { ReduceF32Vector.sumColumns(x, off, rows, cols, cols, out, outOff, acc); }
        public void maxRows(float[] x, int off, int rows, int cols, float[] out, int outOff) { ReduceF32Vector.maxRows(x, off, rows, cols, out, outOff); }
        public void maxColumns(float[] x, int off, int rows, int cols, float[] out, int outOff) { ReduceF32Vector.maxColumns(x, off, rows, cols, out, outOff); }
    }

    static Impl impl(String name) {
        if (name.equals("vector")) {
            assumeTrue(Samples.VECTOR, "jdk.incubator.vector not in the boot layer");
            return new Vector();
        }
        return new Scalar();
    }

    static final double SUM_BOUND = 48 * 0x1p-24, COLUMN_SUM_BOUND = 80 * 0x1p-24;
    static final int[] ROWS = {0, 1, 3, 17, 130};
    static final int[] COLS = {0, 1, 7, 8, 9, 31, 33, 67, 100};

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void sumMatchesReference(String name) {
        Impl impl = impl(name);
        SplittableRandom rnd = new SplittableRandom(11);
        for (int n : Samples.LENGTHS) {
            float[] x = Samples.uniform(rnd, Samples.X_OFF, n, -100, 100);
            double ref = 0, abs = 0;
            for (int i = 0; i < n; i++) {
                ref += x[Samples.X_OFF + i];
                abs += Math.abs(x[Samples.X_OFF + i]);
            }
            Samples.assertClose(impl.sum(x, Samples.X_OFF, n), ref, 1, SUM_BOUND * abs, name + " sum n=" + n);
        }
        float[] special = {1f, Float.NaN, 2f};
        Samples.assertSame(impl.sum(special, 0, 3), Float.NaN, "sum with NaN");
        Samples.assertSame(impl.sum(new float[] {1f, Float.POSITIVE_INFINITY}, 0, 2), Float.POSITIVE_INFINITY, "sum with inf");
        Samples.assertSame(impl.sum(new float[0], 0, 0), 0f, "empty sum");
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void tenMillionTenthsSumWithinOnePpm(String name) {
        Impl impl = impl(name);
        int n = 10_000_000;
        float[] x = new float[n];
        java.util.Arrays.fill(x, 0.1f);
        double exact = (double) 0.1f * n;
        float got = impl.sum(x, 0, n);
        double rel = Math.abs(got - exact) / exact;
        System.out.printf("sum of 1e7 x 0.1f, %s: relative error %.2e%n", name, rel);
        if (!(rel <= 1e-6)) throw new AssertionError(name + ": relative error " + rel);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void extremesAndTheirIndices(String name) {
        Impl impl = impl(name);
        SplittableRandom rnd = new SplittableRandom(13);
        for (int n : Samples.LENGTHS) {
            for (int trial = 0; trial < 4; trial++) {
                float[] x = Samples.uniform(rnd, Samples.X_OFF, n, -50, 50);
                // Few distinct values, so ties test "first index"; sometimes NaNs or infinities.
                for (int i = Samples.X_OFF; i < x.length; i++) x[i] = Math.round(x[i] / 10);
                if (n > 0 && trial == 1) x[Samples.X_OFF + rnd.nextInt(n)] = Float.NaN;
                if (n > 0 && trial == 2) {
                    x[Samples.X_OFF + rnd.nextInt(n)] = Float.POSITIVE_INFINITY;
                    x[Samples.X_OFF + rnd.nextInt(n)] = Float.NEGATIVE_INFINITY;
                }
                if (n > 1 && trial == 3) {
                    x[Samples.X_OFF + n - 1] = Float.NaN;
                    x[Samples.X_OFF + n / 2] = Float.NaN;
                }
                float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
                int argmax = -1, argmin = -1;
                for (int i = 0; i < n; i++) {
                    float v = x[Samples.X_OFF + i];
                    if (Float.isNaN(v)) {
                        if (!Float.isNaN(max)) { max = v; min = v; argmax = i; argmin = i; }
                        continue;
                    }
                    if (Float.isNaN(max)) continue;
                    if (argmax < 0 || v > max) { max = v; argmax = i; }
                    if (argmin < 0 || v < min) { min = v; argmin = i; }
                }
                String what = name + " n=" + n + " trial " + trial;
                Samples.assertSame(impl.max(x, Samples.X_OFF, n), max, what + " max");
                Samples.assertSame(impl.min(x, Samples.X_OFF, n), min, what + " min");
                if (n > 0) {
                    assertEquals(argmax, impl.argmax(x, Samples.X_OFF, n), what + " argmax");
                    assertEquals(argmin, impl.argmin(x, Samples.X_OFF, n), what + " argmin");
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> impl.argmax(new float[4], 1, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void rowAndColumnReductions(String name) {
        Impl impl = impl(name);
        SplittableRandom rnd = new SplittableRandom(17);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                float[] x = Samples.uniform(rnd, Samples.X_OFF, rows * cols, -10, 10);
                if (rows * cols > 0 && rnd.nextBoolean()) x[Samples.X_OFF + rnd.nextInt(rows * cols)] = Float.NaN;
                String shape = name + " [" + rows + ", " + cols + "]";

                float[] out = Samples.output(Samples.OUT_OFF, rows);
                impl.sumRows(x, Samples.X_OFF, rows, cols, out, Samples.OUT_OFF);
                Samples.assertUntouched(out, Samples.OUT_OFF, rows, shape + " sumRows");
                for (int r = 0; r < rows; r++) {
                    double ref = 0, abs = 0, m = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < cols; c++) {
                        float v = x[Samples.X_OFF + r * cols + c];
                        ref += v;
                        abs += Math.abs(v);
                        m = Float.isNaN(v) || Double.isNaN(m) ? Double.NaN : Math.max(m, v);
                    }
                    Samples.assertClose(out[Samples.OUT_OFF + r], ref, 1, SUM_BOUND * abs, shape + " sumRows r=" + r);
                }

                impl.maxRows(x, Samples.X_OFF, rows, cols, out, Samples.OUT_OFF);
                Samples.assertUntouched(out, Samples.OUT_OFF, rows, shape + " maxRows");
                for (int r = 0; r < rows; r++) {
                    Samples.assertSame(out[Samples.OUT_OFF + r], ReduceF32Scalar.max(x, Samples.X_OFF + r * cols, cols), shape + " maxRows");
                }

                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] cOut = Samples.output(Samples.OUT_OFF, cols);
                    float[] start = new float[cols];
                    for (int c = 0; c < cols; c++) {
                        start[c] = accumulate ? (float) rnd.nextDouble(-5, 5) : Samples.SENTINEL;
                        cOut[Samples.OUT_OFF + c] = start[c];
                    }
                    impl.sumColumns(x, Samples.X_OFF, rows, cols, cOut, Samples.OUT_OFF, accumulate);
                    Samples.assertUntouched(cOut, Samples.OUT_OFF, cols, shape + " sumColumns");
                    for (int c = 0; c < cols; c++) {
                        double ref = accumulate ? start[c] : 0, abs = Math.abs(ref);
                        for (int r = 0; r < rows; r++) {
                            float v = x[Samples.X_OFF + r * cols + c];
                            ref += v;
                            abs += Math.abs(v);
                        }
                        Samples.assertClose(cOut[Samples.OUT_OFF + c], ref, 1, COLUMN_SUM_BOUND * abs,
                                shape + " sumColumns accumulate=" + accumulate + " c=" + c);
                    }
                }

                float[] mOut = Samples.output(Samples.OUT_OFF, cols);
                impl.maxColumns(x, Samples.X_OFF, rows, cols, mOut, Samples.OUT_OFF);
                Samples.assertUntouched(mOut, Samples.OUT_OFF, cols, shape + " maxColumns");
                for (int c = 0; c < cols; c++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int r = 0; r < rows; r++) m = Math.max(m, x[Samples.X_OFF + r * cols + c]);
                    Samples.assertSame(mOut[Samples.OUT_OFF + c], m, shape + " maxColumns c=" + c);
                }
            }
        }
    }

    /** Splitting the work between threads keeps each column's order of addition: the same bits as one call. */
    @Test
    void parallelColumnSumsEqualOneThreadsBitForBit() {
        int saved = Parallel.threads();
        try {
            // whole row blocks, a ragged last block, and fewer rows than one block
            for (int[] shape : new int[][] {{2048, 1000}, {2047, 131}, {50, 300}}) {
                int rows = shape[0], cols = shape[1];
                SplittableRandom rng = new SplittableRandom(5);
                float[] x = new float[3 + rows * cols];
                for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble(-1, 1);
                float[] want = new float[cols];
                ReduceF32.sumColumns(x, 3, rows, cols, want, 0, false);
                float[] wantTwice = java.util.Arrays.copyOf(want, cols);
                ReduceF32.sumColumns(x, 3, rows, cols, wantTwice, 0, true);
                for (int t : new int[] {1, 2, 3}) {
                    Parallel.setThreads(t);
                    float[] got = new float[cols + 1];
                    got[cols] = 7f;
                    ReduceF32.sumColumnsParallel(x, 3, rows, cols, got, 0, false);
                    assertArrayEquals(want, java.util.Arrays.copyOf(got, cols), rows + " rows, threads " + t);
                    assertEquals(7f, got[cols], "wrote past the columns");
                    float[] into = java.util.Arrays.copyOf(want, cols);
                    ReduceF32.sumColumnsParallel(x, 3, rows, cols, into, 0, true);
                    assertArrayEquals(wantTwice, into, "accumulating, " + rows + " rows, threads " + t);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
