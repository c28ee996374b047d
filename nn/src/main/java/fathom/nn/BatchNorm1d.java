package fathom.nn;

import fathom.DType;
import fathom.ShapeException;
import fathom.Tensor;

/**
 * y = (x − E[x]) / √(Var[x] + eps)·γ + β per channel, for x [N, C] or [N, C, L] (PyTorch's
 * {@code nn.BatchNorm1d}); statistics over N (and L). Training and eval behaviour, running statistics
 * and state-dict names are those of {@link BatchNorm}.
 */
public final class BatchNorm1d extends BatchNorm {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics; float32. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, DType.FLOAT32);
    }

    /** {@code momentum} null means a cumulative average (PyTorch's {@code momentum=None}). */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, dtype);
    }

    @Override
    void checkInput(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3 || input.size(1) != numFeatures) {
            throw new ShapeException("BatchNorm1d(" + numFeatures + ") expects input [N, " + numFeatures + "] or [N, "
                    + numFeatures + ", L], got " + input.shape());
        }
    }
}
