package fathom.nn;

import fathom.DType;
import fathom.ShapeException;
import fathom.Tensor;

/**
 * y = (x − E[x]) / √(Var[x] + eps)·γ + β per channel, for x [N, C, H, W] (PyTorch's
 * {@code nn.BatchNorm2d}); statistics over N, H and W. Training and eval behaviour, running statistics
 * (momentum, or a cumulative average when it is null) and the state-dict names {@code weight},
 * {@code bias}, {@code running_mean}, {@code running_var}, {@code num_batches_tracked} are those of
 * {@link BatchNorm}; forward and backward run on one fused kernel per pass.
 */
public final class BatchNorm2d extends BatchNorm {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics; float32. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, DType.FLOAT32);
    }

    /** {@code momentum} null means a cumulative average (PyTorch's {@code momentum=None}). */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, dtype);
    }

    @Override
    void checkInput(Tensor input) {
        if (input.dim() != 4 || input.size(1) != numFeatures) {
            throw new ShapeException("BatchNorm2d(" + numFeatures + ") expects input [N, " + numFeatures + ", H, W], got " + input.shape());
        }
    }
}
