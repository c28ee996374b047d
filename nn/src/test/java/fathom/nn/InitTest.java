package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import org.junit.jupiter.api.Test;

/**
 * Initializers draw from the distributions PyTorch's {@code torch.nn.init} uses: bounds exactly,
 * mean within five standard errors, standard deviation within 2% (about eight standard errors at
 * these sample sizes), so a wrong fan or gain (a factor of √2 or more) fails.
 */
class InitTest {
    private static final Shape BIG = Shape.of(200, 500); // fan_in 500, fan_out 200, 100,000 samples

    private static Tensor big() {
        return Tensors.zeros(BIG, DType.FLOAT64);
    }

    /** Asserts min ≥ lo, max ≤ hi (within float32 rounding), and that the extremes come near the bounds. */
    private static void assertUniform(Tensor t, double lo, double hi) {
        double[] v = t.toDoubleArray();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double slack = 1e-6 * Math.max(Math.abs(lo), Math.abs(hi));
        assertTrue(min >= lo - slack && max <= hi + slack, "values in [" + min + ", " + max + "], bounds [" + lo + ", " + hi + "]");
        double width = hi - lo;
        assertTrue(min < lo + 0.01 * width && max > hi - 0.01 * width, "extremes " + min + ", " + max + " do not reach the bounds");
        assertMoments(t, (lo + hi) / 2, width / Math.sqrt(12));
    }

    private static void assertMoments(Tensor t, double mean, double std) {
        double[] v = t.toDoubleArray();
        double s = 0;
        for (double x : v) {
            s += x;
        }
        double m = s / v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        double sd = Math.sqrt(ss / (v.length - 1));
        assertTrue(Math.abs(m - mean) <= 5 * std / Math.sqrt(v.length), "mean " + m + ", expected " + mean);
        assertEquals(std, sd, 0.02 * std, "standard deviation");
    }

    @Test
    void uniformAndNormal() {
        assertUniform(Init.uniform(big(), -0.5, 2, new Rng(1)), -0.5, 2);
        assertMoments(Init.normal(big(), 3, 0.25, new Rng(2)), 3, 0.25);
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(big(), 1, 0, new Rng(3)));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(big(), 0, -1, new Rng(3)));
    }

    @Test
    void constants() {
        assertArrayEquals(new double[] {2.5, 2.5, 2.5}, Init.constant(Tensors.zeros(Shape.of(3), DType.FLOAT64), 2.5).toDoubleArray());
        assertArrayEquals(new float[] {1, 1}, Init.ones(Tensors.zeros(2)).toFloatArray());
        assertArrayEquals(new float[] {0, 0}, Init.zeros(Tensors.ones(2)).toFloatArray());
    }

    @Test
    void xavier() {
        double std = 2.0 * Math.sqrt(2.0 / (500 + 200));
        assertUniform(Init.xavierUniform(big(), 2.0, new Rng(4)), -Math.sqrt(3) * std, Math.sqrt(3) * std);
        assertMoments(Init.xavierNormal(big(), 2.0, new Rng(5)), 0, std);
    }

    @Test
    void kaiming() {
        double boundIn = Math.sqrt(2.0) * Math.sqrt(3.0 / 500);
        assertUniform(Init.kaimingUniform(big(), 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, new Rng(6)), -boundIn, boundIn);
        double boundOut = Math.sqrt(2.0 / (1 + 0.04)) * Math.sqrt(3.0 / 200);
        assertUniform(Init.kaimingUniform(big(), 0.2, Init.FanMode.FAN_OUT, Init.Nonlinearity.LEAKY_RELU, new Rng(7)), -boundOut, boundOut);
        assertMoments(Init.kaimingNormal(big(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, new Rng(8)), 0, Math.sqrt(2.0 / 200));
    }

    @Test
    void linearDefaultsMatchPyTorch() {
        // kaiming_uniform(a=√5) is U(±1/√fan_in); the bias too
        Linear fc = new Linear(100, 4000, true, new Rng(9));
        assertEquals(DType.FLOAT32, fc.weight.dtype());
        assertUniform(fc.weight, -0.1, 0.1);
        double[] b = fc.bias.toDoubleArray();
        double min = 1;
        double max = -1;
        double s2 = 0;
        for (double x : b) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            s2 += x * x;
        }
        assertTrue(min >= -0.1 - 1e-7 && max <= 0.1 + 1e-7 && min < -0.099 && max > 0.099, min + " " + max);
        assertEquals(0.1 / Math.sqrt(3), Math.sqrt(s2 / b.length), 0.05 * 0.1 / Math.sqrt(3));
    }

    @Test
    void embeddingAndNormDefaultsMatchPyTorch() {
        Embedding emb = new Embedding(1000, 100, -1, new Rng(10));
        assertEquals(999, emb.paddingIdx);
        assertArrayEquals(new float[100], emb.weight.select(0, 999).toFloatArray());
        assertMoments(emb.weight.narrow(0, 0, 999), 0, 1);
        BatchNorm1d bn = new BatchNorm1d(3);
        assertArrayEquals(new float[] {1, 1, 1}, bn.weight.toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.bias.toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean.toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar.toFloatArray());
        LayerNorm ln = new LayerNorm(2, 3);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, ln.weight.toFloatArray());
        assertArrayEquals(new float[6], ln.bias.toFloatArray());
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormal() {
        for (int[] dims : new int[][] {{5, 8}, {8, 5}, {6, 6}, {4, 2, 3}}) {
            Tensor w = Init.orthogonal(Tensors.zeros(Shape.of(dims), DType.FLOAT64), 1.5, new Rng(11));
            Tensor m = w.reshape(dims[0], -1);
            Tensor gram = m.size(0) <= m.size(1) ? m.matmul(m.t()) : m.t().matmul(m);
            int n = gram.size(0);
            double[] g = gram.toDoubleArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(i == j ? 2.25 : 0, g[i * n + j], 1e-12, "Gram matrix of " + Shape.of(dims) + " at " + i + "," + j);
                }
            }
        }
        assertThrows(ShapeException.class, () -> Init.orthogonal(Tensors.zeros(3), 1, new Rng(1)));
    }

    @Test
    void orthogonalIsHaarDistributed() {
        // for a uniformly random 3×3 orthogonal matrix every entry has mean 0 and second moment 1/3;
        // QR without the sign fix would bias the diagonal positive
        Rng rng = new Rng(12);
        int n = 4000;
        double sum = 0;
        double sumSq = 0;
        for (int k = 0; k < n; k++) {
            double w00 = Init.orthogonal(Tensors.zeros(Shape.of(3, 3), DType.FLOAT64), 1, rng).get(0, 0);
            sum += w00;
            sumSq += w00 * w00;
        }
        assertEquals(0, sum / n, 5 * Math.sqrt(1.0 / 3 / n));
        assertEquals(1.0 / 3, sumSq / n, 0.03);
    }

    @Test
    void gainsAndFansAsPyTorch() {
        assertEquals(1, Init.calculateGain(Init.Nonlinearity.LINEAR));
        assertEquals(1, Init.calculateGain(Init.Nonlinearity.SIGMOID));
        assertEquals(5.0 / 3, Init.calculateGain(Init.Nonlinearity.TANH));
        assertEquals(Math.sqrt(2), Init.calculateGain(Init.Nonlinearity.RELU));
        assertEquals(Math.sqrt(2 / (1 + 1e-4)), Init.calculateGain(Init.Nonlinearity.LEAKY_RELU));
        assertEquals(Math.sqrt(2 / 6.0), Init.calculateGain(Init.Nonlinearity.LEAKY_RELU, Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.calculateGain(Init.Nonlinearity.SELU));
        assertEquals(75, Init.fanIn(Shape.of(16, 3, 5, 5)));
        assertEquals(400, Init.fanOut(Shape.of(16, 3, 5, 5)));
        assertEquals(784, Init.fanIn(Shape.of(512, 784)));
        assertThrows(ShapeException.class, () -> Init.fanIn(Shape.of(10)));
    }

    @Test
    void seededAndWorksOnParametersAndViews() {
        assertArrayEquals(Init.normal(Tensors.zeros(50), 0, 1, new Rng(13)).toFloatArray(),
                Init.normal(Tensors.zeros(50), 0, 1, new Rng(13)).toFloatArray());
        Tensor p = Tensors.zeros(4, 6).requiresGrad(true);
        Init.xavierUniform(p, 1, new Rng(14));
        assertTrue(p.requiresGrad() && p.isLeaf());
        Tensor base = Tensors.zeros(3, 4);
        Init.constant(base.t().select(0, 1), 7); // column 1 through a transposed view
        assertArrayEquals(new float[] {0, 7, 0, 0, 0, 7, 0, 0, 0, 7, 0, 0}, base.toFloatArray());
    }
}
