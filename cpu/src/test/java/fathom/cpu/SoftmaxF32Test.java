package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Storage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both softmax implementations against double references, rows of every length in
 * {@link Samples#LENGTHS}, at nonzero offsets, with shifted rows (stability), {@code -inf} entries
 * (masking) and an all-{@code -inf} row (NaN, as PyTorch); and the backend's results, written into reused
 * memory, equal to those written into fresh memory.
 *
 * <p>Tolerances follow from float inputs: {@code x - max} is rounded, which moves {@code exp(x - max)}
 * by up to |x - max| ulp of the exponential; with the exponential's own ulp, the reciprocal of the
 * sum and the final multiply, counted in ulps of the smaller result (up to twice as many), softmax
 * gets {@code 5 + 2|x - max|} ulp; log-softmax gets half an ulp
 * plus the roundings of {@code x - max} and of {@code log Σ} and a {@code 40·2^-24} relative sum error
 * as absolute slack; the backward passes get the same sum error on their row reductions
 * ({@code Σ g·y}, {@code Σ g}) plus one rounding of each operand of the final subtraction.
 */
class SoftmaxF32Test {
    @Test
    void resultsWrittenIntoReusedMemoryAreTheSameBits() {
        // [128, 130] results are large enough (16 Ki floats) to reuse a finished array; hand NaN-filled ones to the allocator
        Tensor x = Tensors.randn(new Rng(2), 128, 130).mul(3);
        Tensor g = Tensors.randn(new Rng(3), 128, 130);
        float[][] fresh = softmaxesAndGradients(x, g);
        for (int i = 0; i < 8; i++) {
            Storage.recycle(Tensors.full(Shape.of(128, 130), DType.FLOAT32, Double.NaN).storage());
        }
        float[][] reused = softmaxesAndGradients(x, g);
        for (int i = 0; i < fresh.length; i++) {
            assertArrayEquals(fresh[i], reused[i], "result " + i);
        }
    }

    private static float[][] softmaxesAndGradients(Tensor x, Tensor g) {
        Tensor a = x.detach().requiresGrad(true);
        Tensor b = x.detach().requiresGrad(true);
        Tensor soft = a.softmax(-1);
        Tensor logSoft = b.logSoftmax(-1);
        soft.backward(g);
        logSoft.backward(g);
        return new float[][] {soft.toFloatArray(), logSoft.toFloatArray(), a.grad().toFloatArray(), b.grad().toFloatArray()};
    }

    static final double SUM_REL = 40 * 0x1p-24;

    interface Rows {
        void apply(float[] x, int off, int rows, int cols, float[] out, int outOff);
    }

    interface Backward {
        void apply(float[] y, int yOff, float[] g, int gOff, int rows, int cols, float[] out, int outOff);
    }

    static boolean vector(String name) {
        if (name.equals("vector")) assumeTrue(Samples.VECTOR, "jdk.incubator.vector not in the boot layer");
        return name.equals("vector");
    }

    /** rows × cols logits: normal·3, row 1 shifted by +1000, some -inf entries in row 2. */
    static float[] logits(SplittableRandom rnd, int rows, int cols) {
        float[] x = new float[Samples.X_OFF + rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = rnd.nextGaussian() * 3 + (r == 1 ? 1000 : 0);
                if (r == 2 && c % 3 == 1) v = Double.NEGATIVE_INFINITY;
                x[Samples.X_OFF + r * cols + c] = (float) v;
            }
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void softmaxAndLogSoftmaxMatchReference(String name) {
        boolean vec = vector(name);
        Rows softmax = vec ? SoftmaxF32Vector::softmaxRows : SoftmaxF32Scalar::softmaxRows;
        Rows logSoftmax = vec ? SoftmaxF32Vector::logSoftmaxRows : SoftmaxF32Scalar::logSoftmaxRows;
        SplittableRandom rnd = new SplittableRandom(23);
        int rows = 4;
        for (int cols : Samples.LENGTHS) {
            float[] x = logits(rnd, rows, cols);
            float[] sm = Samples.output(Samples.OUT_OFF, rows * cols);
            float[] lsm = Samples.output(Samples.OUT_OFF, rows * cols);
            softmax.apply(x, Samples.X_OFF, rows, cols, sm, Samples.OUT_OFF);
            logSoftmax.apply(x, Samples.X_OFF, rows, cols, lsm, Samples.OUT_OFF);
            Samples.assertUntouched(sm, Samples.OUT_OFF, rows * cols, "softmax");
            Samples.assertUntouched(lsm, Samples.OUT_OFF, rows * cols, "logSoftmax");
            for (int r = 0; r < rows; r++) {
                int xr = Samples.X_OFF + r * cols, or = Samples.OUT_OFF + r * cols;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) max = Math.max(max, x[xr + c]);
                double sum = 0;
                for (int c = 0; c < cols; c++) sum += Math.exp(x[xr + c] - max);
                double logSum = Math.log(sum);
                for (int c = 0; c < cols; c++) {
                    double d = x[xr + c] - max;
                    String what = name + " cols=" + cols + " r=" + r + " c=" + c;
                    double ulps = 5 + 2 * (Double.isFinite(d) ? Math.abs(d) : 0);
                    Samples.assertClose(sm[or + c], Math.exp(d) / sum, ulps, Float.MIN_NORMAL, what + " softmax");
                    double slack = Samples.ulp(d) + Samples.ulp(logSum) + SUM_REL;
                    Samples.assertClose(lsm[or + c], d - logSum, 0.5, slack, what + " logSoftmax");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void allMinusInfinityRowGivesNaNAndInPlaceWorks(String name) {
        boolean vec = vector(name);
        Rows softmax = vec ? SoftmaxF32Vector::softmaxRows : SoftmaxF32Scalar::softmaxRows;
        Rows logSoftmax = vec ? SoftmaxF32Vector::logSoftmaxRows : SoftmaxF32Scalar::logSoftmaxRows;
        float[] x = new float[19];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        float[] out = new float[19];
        softmax.apply(x, 0, 1, 19, out, 0);
        for (float v : out) Samples.assertSame(v, Float.NaN, "softmax of all -inf");
        logSoftmax.apply(x, 0, 1, 19, out, 0);
        for (float v : out) Samples.assertSame(v, Float.NaN, "logSoftmax of all -inf");

        SplittableRandom rnd = new SplittableRandom(29);
        for (Rows op : new Rows[] {softmax, logSoftmax}) {
            float[] a = logits(rnd, 3, 37);
            float[] expected = new float[a.length];
            op.apply(a, Samples.X_OFF, 3, 37, expected, Samples.X_OFF);
            op.apply(a, Samples.X_OFF, 3, 37, a, Samples.X_OFF);
            for (int i = Samples.X_OFF; i < a.length; i++) Samples.assertSame(a[i], expected[i], name + " in place " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void backwardPassesMatchReference(String name) {
        boolean vec = vector(name);
        Backward softmaxBack = vec ? SoftmaxF32Vector::softmaxBackwardRows : SoftmaxF32Scalar::softmaxBackwardRows;
        Backward logSoftmaxBack = vec ? SoftmaxF32Vector::logSoftmaxBackwardRows : SoftmaxF32Scalar::logSoftmaxBackwardRows;
        SplittableRandom rnd = new SplittableRandom(31);
        int rows = 3;
        for (int cols : Samples.LENGTHS) {
            float[] x = logits(rnd, rows, cols);
            float[] y = new float[Samples.X_OFF + rows * cols];
            float[] logY = new float[Samples.X_OFF + rows * cols];
            SoftmaxF32Scalar.softmaxRows(x, Samples.X_OFF, rows, cols, y, Samples.X_OFF);
            SoftmaxF32Scalar.logSoftmaxRows(x, Samples.X_OFF, rows, cols, logY, Samples.X_OFF);
            float[] g = Samples.uniform(rnd, Samples.Y_OFF, rows * cols, -1, 1);
            float[] out = Samples.output(Samples.OUT_OFF, rows * cols);
            float[] logOut = Samples.output(Samples.OUT_OFF, rows * cols);
            softmaxBack.apply(y, Samples.X_OFF, g, Samples.Y_OFF, rows, cols, out, Samples.OUT_OFF);
            logSoftmaxBack.apply(logY, Samples.X_OFF, g, Samples.Y_OFF, rows, cols, logOut, Samples.OUT_OFF);
            Samples.assertUntouched(out, Samples.OUT_OFF, rows * cols, "softmaxBackward");
            Samples.assertUntouched(logOut, Samples.OUT_OFF, rows * cols, "logSoftmaxBackward");
            for (int r = 0; r < rows; r++) {
                int yr = Samples.X_OFF + r * cols, gr = Samples.Y_OFF + r * cols, or = Samples.OUT_OFF + r * cols;
                double dot = 0, dotAbs = 0, gSum = 0, gAbs = 0;
                for (int c = 0; c < cols; c++) {
                    dot += (double) g[gr + c] * y[yr + c];
                    dotAbs += Math.abs((double) g[gr + c] * y[yr + c]);
                    gSum += g[gr + c];
                    gAbs += Math.abs(g[gr + c]);
                }
                for (int c = 0; c < cols; c++) {
                    double yc = y[yr + c], gc = g[gr + c];
                    String what = name + " cols=" + cols + " r=" + r + " c=" + c;
                    double slack = Math.abs(yc) * (SUM_REL * dotAbs + Samples.ulp(dot) + Samples.ulp(gc - dot));
                    Samples.assertClose(out[or + c], yc * (gc - dot), 0.5, slack, what + " softmaxBackward");
                    double p = Math.exp(logY[yr + c]);
                    double logSlack = p * (SUM_REL * gAbs + Samples.ulp(gSum)) + Samples.ulp(p * gSum) + Samples.ulp(gc);
                    Samples.assertClose(logOut[or + c], gc - p * gSum, 0.5, logSlack, what + " logSoftmaxBackward");
                }
            }
        }
    }
}
