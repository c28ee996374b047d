package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fathom.backend.BinaryOp;
import fathom.backend.UnaryOp;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-pass optimizer steps against the element-wise kernels they replace, run one after another as
 * the optimizers composed them, bit for bit: each implementation (vector, scalar) against the kernels
 * of the same implementation, over {@link Samples#LENGTHS} at distinct offsets, with and without
 * dampening (the add becomes a multiply-add) and with typical and extreme hyper-parameters.
 */
class OptimizerStepF32Test {
    private static final int P_OFF = 3, B_OFF = 5, G_OFF = 7, V_OFF = 2;

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void sgdMomentumEqualsTheComposedOps(String impl) {
        ElementwiseF32Test.assumeImpl(impl);
        SplittableRandom rnd = new SplittableRandom(11);
        double[][] settings = {{0.9, 0, 0.05}, {0.9, 0.1, 0.05}, {0.5, 0.7, 3.0}, {0.99, 0, 1e-4}};
        for (double[] s : settings) {
            float mu = (float) s[0];
            float gScale = (float) (1 - s[1]);
            float alpha = (float) -s[2];
            for (int n : Samples.LENGTHS) {
                float[] p = Samples.mixed(rnd, P_OFF, n, false);
                float[] buf = Samples.mixed(rnd, B_OFF, n, false);
                float[] d = Samples.mixed(rnd, G_OFF, n, true);
                float[] pRef = p.clone();
                float[] bufRef = buf.clone();
                // Sgd before: buf.mulInPlace(μ).addInPlace(d, 1 − τ); p.addInPlace(buf, −lr)
                scale(impl, mu, bufRef, B_OFF, n);
                if (gScale == 1) binary(impl, BinaryOp.ADD, bufRef, B_OFF, d, G_OFF, 1, bufRef, B_OFF, n);
                else axpy(impl, gScale, d, G_OFF, bufRef, B_OFF, n);
                axpy(impl, alpha, bufRef, B_OFF, pRef, P_OFF, n);

                if (impl.equals("vector")) OptimizerStepF32Vector.sgdMomentum(p, P_OFF, buf, B_OFF, d, G_OFF, mu, gScale, alpha, n);
                else OptimizerStepF32Scalar.sgdMomentum(p, P_OFF, buf, B_OFF, d, G_OFF, mu, gScale, alpha, n);
                assertBits(bufRef, buf, "buffer, n=" + n + ", settings " + java.util.Arrays.toString(s));
                assertBits(pRef, p, "parameter, n=" + n + ", settings " + java.util.Arrays.toString(s));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void adamEqualsTheComposedOps(String impl) {
        ElementwiseF32Test.assumeImpl(impl);
        SplittableRandom rnd = new SplittableRandom(12);
        // beta1, beta2, eps, lr, step
        double[][] settings = {{0.9, 0.999, 1e-8, 1e-3, 1}, {0.9, 0.999, 1e-8, 2e-3, 37}, {0.5, 0.9, 1e-3, 0.1, 3}, {0, 0.99, 1e-6, 1e-2, 5}};
        for (double[] s : settings) {
            double c1 = 1 - Math.pow(s[0], s[4]);
            double c2 = 1 - Math.pow(s[1], s[4]);
            float beta1 = (float) s[0], oneMinusBeta1 = (float) (1 - s[0]);
            float beta2 = (float) s[1], oneMinusBeta2 = (float) (1 - s[1]);
            float root = (float) Math.sqrt(c2), eps = (float) s[2], stepScale = (float) -(s[3] / c1);
            for (int n : Samples.LENGTHS) {
                float[] p = Samples.mixed(rnd, P_OFF, n, false);
                float[] g = Samples.mixed(rnd, G_OFF, n, true);
                float[] m = Samples.mixed(rnd, B_OFF, n, false);
                float[] v = Samples.uniform(rnd, V_OFF, n, 0, 10);
                float[] pRef = p.clone(), mRef = m.clone(), vRef = v.clone();
                composedAdam(impl, pRef, g, mRef, vRef, beta1, oneMinusBeta1, beta2, oneMinusBeta2, root, eps, stepScale, n);

                if (impl.equals("vector")) {
                    OptimizerStepF32Vector.adam(p, P_OFF, g, G_OFF, m, B_OFF, v, V_OFF, beta1, oneMinusBeta1, beta2, oneMinusBeta2, root, eps, stepScale, n);
                } else {
                    OptimizerStepF32Scalar.adam(p, P_OFF, g, G_OFF, m, B_OFF, v, V_OFF, beta1, oneMinusBeta1, beta2, oneMinusBeta2, root, eps, stepScale, n);
                }
                String what = "n=" + n + ", settings " + java.util.Arrays.toString(s);
                assertBits(mRef, m, "first moment, " + what);
                assertBits(vRef, v, "second moment, " + what);
                assertBits(pRef, p, "parameter, " + what);
            }
        }
    }

    /** AdamMoments before: the element-wise ops over whole arrays, with two temporaries. */
    private static void composedAdam(String impl, float[] p, float[] g, float[] m, float[] v, float beta1, float oneMinusBeta1,
                                     float beta2, float oneMinusBeta2, float root, float eps, float stepScale, int n) {
        scale(impl, beta1, m, B_OFF, n);
        if (oneMinusBeta1 == 1) binary(impl, BinaryOp.ADD, m, B_OFF, g, G_OFF, 1, m, B_OFF, n);
        else axpy(impl, oneMinusBeta1, g, G_OFF, m, B_OFF, n);
        float[] tmp = new float[n];
        binary(impl, BinaryOp.MUL, g, G_OFF, new float[] {oneMinusBeta2}, 0, 0, tmp, 0, n);
        binary(impl, BinaryOp.MUL, tmp, 0, g, G_OFF, 1, tmp, 0, n);
        scale(impl, beta2, v, V_OFF, n);
        binary(impl, BinaryOp.ADD, v, V_OFF, tmp, 0, 1, v, V_OFF, n);
        float[] denom = new float[n];
        if (impl.equals("vector")) UnaryF32Vector.unary(UnaryOp.SQRT, v, V_OFF, denom, 0, n);
        else UnaryF32Scalar.unary(UnaryOp.SQRT, v, V_OFF, denom, 0, n);
        binary(impl, BinaryOp.DIV, denom, 0, new float[] {root}, 0, 0, denom, 0, n);
        binary(impl, BinaryOp.ADD, denom, 0, new float[] {eps}, 0, 0, denom, 0, n);
        System.arraycopy(m, B_OFF, tmp, 0, n);
        binary(impl, BinaryOp.MUL, tmp, 0, new float[] {stepScale}, 0, 0, tmp, 0, n);
        binary(impl, BinaryOp.DIV, tmp, 0, denom, 0, 1, tmp, 0, n);
        binary(impl, BinaryOp.ADD, p, P_OFF, tmp, 0, 1, p, P_OFF, n);
    }

    private static void scale(String impl, float alpha, float[] x, int off, int n) {
        if (impl.equals("vector")) ElementwiseF32Vector.scale(alpha, x, off, n);
        else ElementwiseF32Scalar.scale(alpha, x, off, n);
    }

    private static void axpy(String impl, float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        if (impl.equals("vector")) ElementwiseF32Vector.axpy(alpha, x, xOff, y, yOff, n);
        else ElementwiseF32Scalar.axpy(alpha, x, xOff, y, yOff, n);
    }

    private static void binary(String impl, BinaryOp op, float[] a, int aOff, float[] b, int bOff, int bStride, float[] out, int outOff, int n) {
        ElementwiseF32Test.binary(impl, op, a, aOff, 1, b, bOff, bStride, out, outOff, n);
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), () -> what + ": differs at index " + at);
        }
    }
}
