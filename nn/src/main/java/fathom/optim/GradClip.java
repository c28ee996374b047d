package fathom.optim;

import fathom.Autograd;
import fathom.Tensor;
import fathom.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}:
 * gradients are changed in place; parameters whose gradient is null are skipped.
 */
public final class GradClip {
    private GradClip() {}

    /** {@link #clipGradNorm(List, double, double)} with the 2-norm. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2);
    }

    /**
     * Scales all gradients by {@code min(1, maxNorm / (‖g‖ + 1e-6))}, where ‖g‖ is the p-norm of all
     * gradients taken together (the p-norm of the per-tensor p-norms), and returns ‖g‖.
     *
     * <p>The norm is computed in the gradients' dtype, as PyTorch does; it is 0 when no parameter has a
     * gradient, and NaN or infinite when a gradient holds NaN or infinity (the gradients are then scaled
     * by NaN or 0: check the returned norm to skip such a step).
     *
     * @param normType p: positive, or {@code Double.POSITIVE_INFINITY} for the largest magnitude
     * @return the total norm before clipping
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("invalid max_norm: " + maxNorm + " (must be ≥ 0)");
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("invalid norm_type: " + normType + " (must be > 0 or infinity)");
        }
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) {
            return 0;
        }
        try (var _ = Autograd.noGrad()) {
            int[] all = null;
            List<Tensor> norms = new ArrayList<>(grads.size());
            for (Tensor g : grads) {
                norms.add(g.norm(normType, all, false));
            }
            Tensor total = norms.size() == 1 ? norms.getFirst()
                    : normType == Double.POSITIVE_INFINITY ? Tensor.stack(norms, 0).max()
                    : Tensor.stack(norms, 0).norm(normType, all, false);
            // max_norm / (total + 1e-6) clamped at 1, in the gradients' dtype as PyTorch computes it
            Tensor coef = Tensors.scalar(maxNorm, total.dtype()).div(total.add(1e-6)).clampMax(1.0);
            if (coef.item() < 1 || Double.isNaN(coef.item())) {
                for (Tensor g : grads) {
                    g.mulInPlace(coef);
                }
            }
            return total.item();
        }
    }

    /** Clamps every gradient element into [−value, value] in place. */
    public static void clipGradValue(List<Tensor> params, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException("invalid clip value: " + value + " (must be ≥ 0)");
        }
        try (var _ = Autograd.noGrad()) {
            for (Tensor g : grads(params)) {
                g.copyInPlace(g.clamp(-value, value));
            }
        }
    }

    private static List<Tensor> grads(List<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        return grads;
    }
}
