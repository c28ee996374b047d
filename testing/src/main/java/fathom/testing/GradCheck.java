package fathom.testing;

import fathom.Autograd;
import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Strides;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an op's gradients against central finite differences in float64 (eps 1e-6, pass when
 * |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric|; an op whose output is float32, a cast, is differenced
 * with eps 1e-3, since float32 rounding, about 1e-7, would swamp a 1e-6 step): the full Jacobian, one backward pass per output
 * element, when the outputs have at most {@value #FULL_JACOBIAN_OUTPUTS} elements; else the
 * projection onto random directions (uᵀ J v for random u and v), which scales to large inputs.
 */
public final class GradCheck {
    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;
    static final int FULL_JACOBIAN_OUTPUTS = 64;

    private GradCheck() {}

    /** Null when the gradients of {@code fn} at {@code inputs} (float64) pass, else what disagreed. */
    public static String check(OpSpec.Fn fn, List<Tensor> inputs, Rng rng) {
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor x : inputs) {
            if (x.dtype().isFloating() && x.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradient checks run in float64, got " + x.dtype());
            }
            leaves.add(x.dtype().isFloating() ? x.detach().requiresGrad(true) : x);
        }
        List<Tensor> outs = floatOutputs(fn, leaves);
        int m = outs.stream().mapToInt(Tensor::numel).sum();
        int n = leaves.stream().filter(Tensor::requiresGrad).mapToInt(Tensor::numel).sum();
        if (m == 0 || n == 0) {
            return null;
        }
        double eps = outs.stream().anyMatch(t -> t.dtype() == DType.FLOAT32) ? 1e-3 : EPS;
        return m <= FULL_JACOBIAN_OUTPUTS ? fullJacobian(fn, leaves, outs, m, eps) : randomDirection(fn, leaves, outs, rng, eps);
    }

    private static List<Tensor> floatOutputs(OpSpec.Fn fn, List<Tensor> inputs) {
        return fn.apply(inputs).stream().filter(t -> t.dtype().isFloating()).toList();
    }

    /** Σ_k ⟨u_k, out_k⟩ back-propagated; the leaves' gradients are then uᵀJ. */
    private static void backward(OpSpec.Fn fn, List<Tensor> leaves, List<Tensor> upstream) {
        for (Tensor l : leaves) {
            l.zeroGrad();
        }
        List<Tensor> outs = floatOutputs(fn, leaves);
        for (int k = 0; k < outs.size(); k++) {
            if (outs.get(k).requiresGrad()) {
                outs.get(k).backward(upstream.get(k), true);
            }
        }
    }

    private static double[] gradOf(Tensor leaf) {
        return leaf.grad() == null ? new double[leaf.numel()] : leaf.grad().toDoubleArray();
    }

    private static String fullJacobian(OpSpec.Fn fn, List<Tensor> leaves, List<Tensor> outs, int m, double eps) {
        for (int j = 0; j < m; j++) {
            List<Tensor> upstream = oneHot(outs, j);
            backward(fn, leaves, upstream);
            for (int li = 0; li < leaves.size(); li++) {
                Tensor leaf = leaves.get(li);
                if (!leaf.requiresGrad()) {
                    continue;
                }
                double[] analytic = gradOf(leaf);
                int[] off = Strides.offsets(leaf, leaf.shape());
                for (int e = 0; e < off.length; e++) {
                    double numeric = numericColumn(fn, leaves, leaf, off[e], eps)[j];
                    if (!close(analytic[e], numeric)) {
                        return "d output[" + j + "] / d input" + li + "[" + e + "]: analytic " + analytic[e] + ", numeric " + numeric;
                    }
                }
            }
        }
        return null;
    }

    private static String randomDirection(OpSpec.Fn fn, List<Tensor> leaves, List<Tensor> outs, Rng rng, double eps) {
        for (int trial = 0; trial < 3; trial++) {
            List<Tensor> u = new ArrayList<>();
            for (Tensor o : outs) {
                u.add(Tensors.randn(rng, o.shape(), DType.FLOAT64));
            }
            backward(fn, leaves, u);
            double analytic = 0;
            List<double[]> v = new ArrayList<>();
            for (Tensor leaf : leaves) {
                double[] dir = leaf.requiresGrad() ? Tensors.randn(rng, leaf.shape(), DType.FLOAT64).toDoubleArray() : null;
                v.add(dir);
                if (dir != null) {
                    double[] g = gradOf(leaf);
                    for (int e = 0; e < dir.length; e++) {
                        analytic += g[e] * dir[e];
                    }
                }
            }
            double plus = project(fn, leaves, v, eps, u);
            double minus = project(fn, leaves, v, -eps, u);
            double numeric = (plus - minus) / (2 * eps);
            if (!close(analytic, numeric)) {
                return "uᵀJv along a random direction: analytic " + analytic + ", numeric " + numeric;
            }
        }
        return null;
    }

    /** ⟨u, f(x + h·v)⟩ summed over outputs, restoring x afterwards. */
    private static double project(OpSpec.Fn fn, List<Tensor> leaves, List<double[]> v, double h, List<Tensor> u) {
        shift(leaves, v, h);
        try (var _ = Autograd.noGrad()) {
            List<Tensor> outs = floatOutputs(fn, leaves);
            double s = 0;
            for (int k = 0; k < outs.size(); k++) {
                double[] o = outs.get(k).toDoubleArray();
                double[] uk = u.get(k).toDoubleArray();
                for (int i = 0; i < o.length; i++) {
                    s += o[i] * uk[i];
                }
            }
            return s;
        } finally {
            shift(leaves, v, -h);
        }
    }

    private static void shift(List<Tensor> leaves, List<double[]> v, double h) {
        for (int li = 0; li < leaves.size(); li++) {
            if (v.get(li) == null) {
                continue;
            }
            Tensor leaf = leaves.get(li);
            int[] off = Strides.offsets(leaf, leaf.shape());
            double[] data = leaf.storage().doubles();
            for (int e = 0; e < off.length; e++) {
                data[off[e]] += h * v.get(li)[e];
            }
        }
    }

    /** The derivative of every output element with respect to the storage element at {@code offset}. */
    private static double[] numericColumn(OpSpec.Fn fn, List<Tensor> leaves, Tensor leaf, int offset, double eps) {
        double[] data = leaf.storage().doubles();
        double saved = data[offset];
        try (var _ = Autograd.noGrad()) {
            data[offset] = saved + eps;
            double[] plus = flat(floatOutputs(fn, leaves));
            data[offset] = saved - eps;
            double[] minus = flat(floatOutputs(fn, leaves));
            double[] col = new double[plus.length];
            for (int i = 0; i < col.length; i++) {
                col[i] = (plus[i] - minus[i]) / (2 * eps);
            }
            return col;
        } finally {
            data[offset] = saved;
        }
    }

    private static double[] flat(List<Tensor> outs) {
        return outs.stream().flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray())).toArray();
    }

    private static List<Tensor> oneHot(List<Tensor> outs, int j) {
        List<Tensor> u = new ArrayList<>();
        int base = 0;
        for (Tensor o : outs) {
            double[] v = new double[o.numel()];
            if (j >= base && j < base + v.length) {
                v[j - base] = 1;
            }
            base += v.length;
            u.add(Tensors.of(v, o.shape().toArray()).reshape(o.shape().toArray()));
        }
        return u;
    }

    static boolean close(double analytic, double numeric) {
        return Math.abs(analytic - numeric) <= ATOL + RTOL * Math.abs(numeric);
    }
}
