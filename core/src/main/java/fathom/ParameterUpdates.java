package fathom;

import fathom.backend.Backends;

/**
 * The optimizers' fused in-place updates: each is one backend call, which the CPU backend makes one
 * pass over float32 parameters instead of a pass per in-place op (see {@code fathom.cpu.OptimizerStepF32}),
 * with the values the composed ops give. As every in-place op, each bumps the version counter of the
 * tensors it writes and refuses a tensor that requires grad while grad mode is on.
 */
public final class ParameterUpdates {
    private ParameterUpdates() {}

    /**
     * SGD's momentum step after the first (PyTorch's {@code SGD} without Nesterov):
     * {@code buffer = momentum·buffer + (1 − dampening)·d}, then {@code param −= lr·buffer}.
     */
    public static void sgdMomentum(Tensor param, Tensor buffer, Tensor d, double momentum, double dampening, double lr) {
        check("sgdMomentum", param, d, buffer);
        Backends.current().sgdMomentumStep(param, buffer, d.detach(), momentum, dampening, lr);
        param.storage.bumpVersion();
        buffer.storage.bumpVersion();
    }

    /**
     * Adam's step (PyTorch's {@code Adam} without AMSGrad): {@code expAvg = β₁·expAvg + (1 − β₁)·grad},
     * {@code expAvgSq = β₂·expAvgSq + (1 − β₂)·grad²}, then
     * {@code param −= stepSize·expAvg / (√expAvgSq / √biasCorrection2 + eps)}.
     */
    public static void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, double beta1, double beta2, double eps,
                            double stepSize, double biasCorrection2) {
        check("adam", param, grad, expAvg, expAvgSq);
        Backends.current().adamStep(param, grad.detach(), expAvg, expAvgSq, beta1, beta2, eps, stepSize, biasCorrection2);
        param.storage.bumpVersion();
        expAvg.storage.bumpVersion();
        expAvgSq.storage.bumpVersion();
    }

    /** {@code param}, the tensor only {@code read} and the {@code written} state share a floating dtype and a shape; param and the state are writable. */
    private static void check(String op, Tensor param, Tensor read, Tensor... written) {
        if (!param.dtype().isFloating()) {
            throw new DTypeException(op + ": parameters must be floating, not " + param.dtype());
        }
        sameKind(op, param, read);
        InPlace.checkWritable(op, param, param);
        for (Tensor t : written) {
            sameKind(op, param, t);
            InPlace.checkWritable(op, t, t);
        }
    }

    private static void sameKind(String op, Tensor param, Tensor t) {
        if (t.dtype() != param.dtype()) {
            throw new DTypeException(op + ": a " + t.dtype() + " tensor with a " + param.dtype() + " parameter");
        }
        if (!t.shape.equals(param.shape)) {
            throw new ShapeException(op + ": a " + t.shape + " tensor with a " + param.shape + " parameter");
        }
    }
}
