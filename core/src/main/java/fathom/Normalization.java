package fathom;

import fathom.autograd.Op;
import fathom.backend.Backends;
import fathom.backend.NormResult;
import java.util.Arrays;

/**
 * Normalization over the last dimensions: {@link #layerNorm} (a fused op with its own backward, PyTorch's
 * {@code F.layer_norm}) and {@link #rmsNorm} (composed of element-wise ops, PyTorch 2.4's {@code F.rms_norm}).
 */
public final class Normalization {
    private Normalization() {}

    /**
     * y = (x − E[x]) / √(Var[x] + eps)·weight + bias over the last dimensions, which must equal
     * {@code normalizedShape}; the variance is biased (divides by n). weight and bias have shape
     * normalizedShape and may be null (scale 1, shift 0). x [*, normalizedShape] gives y of x's shape.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        Shape ns = checkTrailing("layerNorm", x, normalizedShape);
        DType t = x.dtype().isFloating() ? x.dtype() : DType.FLOAT32;
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null) {
                if (!p.shape().equals(ns)) {
                    throw new ShapeException("layerNorm: weight and bias must have the normalized shape " + ns + ", got " + p.shape());
                }
                t = DType.promote(t, p.dtype());
            }
        }
        x = x.to(t);
        boolean affine = weight != null || bias != null;
        Tensor w = weight == null ? (affine ? Tensors.ones(ns, t) : null) : weight.to(t);
        Tensor b = bias == null ? (affine ? Tensors.zeros(ns, t) : null) : bias.to(t);
        int k = normalizedShape.length;
        NormResult r = Backends.current().layerNorm(x, w, b, k, eps);
        Op op = new Op.LayerNorm(k, affine, r.mean(), r.rstd());
        return affine ? Autograd.record(op, r.output(), x, w, b) : Autograd.record(op, r.output(), x);
    }

    /**
     * y = x / √(mean(x²) + eps)·weight over the last dimensions, which must equal {@code normalizedShape};
     * weight (normalizedShape) may be null. A null eps means the machine epsilon of x's dtype, as PyTorch's default.
     */
    public static Tensor rmsNorm(Tensor x, int[] normalizedShape, Tensor weight, Double eps) {
        Shape ns = checkTrailing("rmsNorm", x, normalizedShape);
        if (weight != null && !weight.shape().equals(ns)) {
            throw new ShapeException("rmsNorm: weight must have the normalized shape " + ns + ", got " + weight.shape());
        }
        int k = normalizedShape.length;
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = i - k;
        }
        double e = eps != null ? eps : x.dtype() == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        Tensor y = x.mul(x.square().mean(dims, true).add(e).rsqrt());
        return weight == null ? y : y.mul(weight);
    }

    private static Shape checkTrailing(String op, Tensor x, int[] normalizedShape) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException(op + ": normalizedShape must have at least one dimension");
        }
        Shape ns = Shape.of(normalizedShape);
        int k = normalizedShape.length;
        if (x.dim() < k || !Shape.of(Arrays.copyOfRange(x.shape().toArray(), x.dim() - k, x.dim())).equals(ns)) {
            throw new ShapeException(op + ": expects an input whose last dimensions are " + ns + ", got " + x.shape());
        }
        return ns;
    }
}
