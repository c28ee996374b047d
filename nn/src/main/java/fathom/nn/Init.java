package fathom.nn;

import fathom.Autograd;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;

/**
 * Parameter initialization, as {@code torch.nn.init}: each method fills a tensor in place (unrecorded,
 * under noGrad, so it works on parameters) and returns it; the random ones draw from an explicit
 * {@link Rng}. Fans are computed as PyTorch does: for a weight of shape [out, in, k...], fan_in =
 * in·∏k and fan_out = out·∏k.
 */
public final class Init {
    private Init() {}

    /** Which fan {@link #kaimingUniform} and {@link #kaimingNormal} preserve the variance of. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** Nonlinearities {@link #calculateGain} knows, as PyTorch names them. */
    public enum Nonlinearity { LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID, TANH, RELU, LEAKY_RELU, SELU }

    /** Values drawn from U(a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Rng rng) {
        if (!(a <= b)) {
            throw new IllegalArgumentException("uniform: a " + a + " must not exceed b " + b);
        }
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a + (b - a) * rng.nextDouble();
        }
        return fill(t, v);
    }

    /** Values drawn from N(mean, std²). */
    public static Tensor normal(Tensor t, double mean, double std, Rng rng) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: std must be ≥ 0, got " + std);
        }
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * rng.nextGaussian();
        }
        return fill(t, v);
    }

    /** Every element set to {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        try (var _ = Autograd.noGrad()) {
            return t.fillInPlace(value);
        }
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** U(−a, a) with a = gain·√(6 / (fan_in + fan_out)) (Glorot and Bengio, 2010). */
    public static Tensor xavierUniform(Tensor t, double gain, Rng rng) {
        double a = Math.sqrt(3.0) * xavierStd(t, gain);
        return uniform(t, -a, a, rng);
    }

    /** N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, Rng rng) {
        return normal(t, 0, xavierStd(t, gain), rng);
    }

    private static double xavierStd(Tensor t, double gain) {
        return gain * Math.sqrt(2.0 / (fanIn(t.shape()) + fanOut(t.shape())));
    }

    /**
     * U(−bound, bound) with bound = gain·√(3 / fan) and gain = {@code calculateGain(nonlinearity, a)}
     * (He et al., 2015); {@code a} is the negative slope of a leaky ReLU. PyTorch's defaults are a = 0,
     * FAN_IN, LEAKY_RELU.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Rng rng) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, rng);
    }

    /** N(0, std²) with std = gain / √fan, as {@link #kaimingUniform}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Rng rng) {
        return normal(t, 0, kaimingStd(t, a, mode, nonlinearity), rng);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        int fan = mode == FanMode.FAN_IN ? fanIn(t.shape()) : fanOut(t.shape());
        if (fan == 0) {
            throw new ShapeException("kaiming init of a tensor with zero elements, shape " + t.shape());
        }
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}, from the QR decomposition of a standard normal
     * matrix with R's diagonal made positive (Saxe et al., 2013), so it is uniformly (Haar) distributed.
     * A tensor of rank > 2 is treated as [size(0), numel / size(0)].
     */
    public static Tensor orthogonal(Tensor t, double gain, Rng rng) {
        if (t.dim() < 2) {
            throw new ShapeException("orthogonal init needs a tensor of rank at least 2, got shape " + t.shape());
        }
        int rows = t.size(0);
        int cols = rows == 0 ? 0 : t.numel() / rows;
        boolean wide = rows < cols;
        int m = Math.max(rows, cols);
        int n = Math.min(rows, cols);
        // columns q[j] of an m×n matrix, m ≥ n; modified Gram-Schmidt makes R's diagonal (the norms) positive
        double[][] q = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                q[j][i] = rng.nextGaussian();
            }
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += q[k][i] * q[j][i];
                }
                for (int i = 0; i < m; i++) {
                    q[j][i] -= dot * q[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                q[j][i] /= norm;
            }
        }
        double[] v = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // a tall matrix is Q itself; a wide one is Qᵀ (orthonormal rows)
                v[r * cols + c] = gain * (wide ? q[r][c] : q[c][r]);
            }
        }
        return fill(t, v);
    }

    /** {@link #calculateGain(Nonlinearity, double)} with PyTorch's default parameter (slope 0.01 for LEAKY_RELU). */
    public static double calculateGain(Nonlinearity nonlinearity) {
        return calculateGain(nonlinearity, 0.01);
    }

    /**
     * The recommended gain for a nonlinearity, as PyTorch's {@code calculate_gain}: 1 for linear, conv
     * and sigmoid; 5/3 for tanh; √2 for ReLU; √(2 / (1 + slope²)) for leaky ReLU with negative slope
     * {@code param}; 3/4 for SELU.
     */
    public static double calculateGain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
            case SELU -> 3.0 / 4;
        };
    }

    /** size(1)·∏size(2..) for a tensor of rank ≥ 2, as PyTorch's {@code _calculate_fan_in_and_fan_out}. */
    public static int fanIn(Shape shape) {
        return checkFans(shape).size(1) * receptiveField(shape);
    }

    /** size(0)·∏size(2..) for a tensor of rank ≥ 2. */
    public static int fanOut(Shape shape) {
        return checkFans(shape).size(0) * receptiveField(shape);
    }

    private static Shape checkFans(Shape shape) {
        if (shape.rank() < 2) {
            throw new ShapeException("fan in and fan out cannot be computed for a tensor of fewer than 2 dimensions, got shape " + shape);
        }
        return shape;
    }

    private static int receptiveField(Shape shape) {
        int r = 1;
        for (int d = 2; d < shape.rank(); d++) {
            r *= shape.size(d);
        }
        return r;
    }

    private static Tensor fill(Tensor t, double[] values) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException("random initialization needs a floating tensor, got " + t.dtype());
        }
        // float32 values are rounded here, as the copy would round them, because a same-dtype copy is one
        // array copy where a converting one goes element by element (creating the demo's MLP in a fresh
        // JVM: 115-146 ms against 144-161); the copy honours the tensor's strides, so views are filled correctly
        Tensor source;
        if (t.dtype() == DType.FLOAT32) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            source = Tensors.of(f);
        } else {
            source = Tensors.of(values);
        }
        try (var _ = Autograd.noGrad()) {
            return t.copyInPlace(source.reshape(t.shape().toArray()));
        }
    }
}
