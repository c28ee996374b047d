package fathom.nn;

import fathom.Autograd;
import fathom.DType;
import fathom.Normalization;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = (x − E[x]) / √(Var[x] + eps)·γ + β per channel of x [N, C, *], with running statistics: what
 * {@link BatchNorm1d} and {@link BatchNorm2d} share (PyTorch's {@code _BatchNorm}); they differ only in
 * the input ranks they accept.
 *
 * <p>In training mode (or without running statistics) the batch mean and biased variance normalize,
 * over N and the trailing dimensions, and the running estimates move by {@code running = (1 − f)·running
 * + f·batch} with the unbiased variance (n/(n − 1) times the biased one), where f is {@code momentum}, or
 * 1/{@code num_batches_tracked} (a cumulative average) when momentum is null (PyTorch's {@code None}); {@code
 * num_batches_tracked} counts the updates. In eval mode the running estimates normalize. Parameters
 * {@code weight} (γ, ones) and {@code bias} (β, zeros) exist when {@code affine}; buffers {@code running_mean}
 * (zeros), {@code running_var} (ones) and {@code num_batches_tracked} (int64 0-d) when {@code trackRunningStats}.
 * The work runs on the fused {@link Normalization#batchNorm} primitive.
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    public final int numFeatures;
    public final double eps;
    /** The running-average factor, or null for a cumulative average. */
    public final Double momentum;
    /** [C], or null without affine. */
    public final Tensor weight;
    /** [C], or null without affine. */
    public final Tensor bias;
    /** [C], or null without running statistics. */
    public final Tensor runningMean;
    /** [C], or null without running statistics. */
    public final Tensor runningVar;
    /** int64 0-d, or null without running statistics. */
    public final Tensor numBatchesTracked;

    BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be positive, got " + numFeatures);
        }
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": momentum must lie in [0, 1] (or be null), got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        Shape c = Shape.of(numFeatures);
        weight = affine ? parameter("weight", Tensors.ones(c, dtype)) : null;
        bias = affine ? parameter("bias", Tensors.zeros(c, dtype)) : null;
        runningMean = trackRunningStats ? buffer("running_mean", Tensors.zeros(c, dtype)) : null;
        runningVar = trackRunningStats ? buffer("running_var", Tensors.ones(c, dtype)) : null;
        numBatchesTracked = trackRunningStats ? buffer("num_batches_tracked", Tensors.zeros(Shape.scalar(), DType.INT64)) : null;
    }

    /** Throws a {@link fathom.ShapeException} naming the expected shapes when the input's rank or channel count is wrong. */
    abstract void checkInput(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        boolean updating = isTraining() && runningMean != null;
        double factor = 0;
        if (updating) {
            factor = momentum != null ? momentum : 1.0 / (numBatchesTracked.item() + 1);
        }
        Tensor y = Normalization.batchNorm(input, runningMean, runningVar, weight, bias, isTraining() || runningMean == null, factor, eps);
        if (updating) {
            // after the forward, so that a refused batch does not count
            try (var _ = Autograd.noGrad()) {
                numBatchesTracked.addInPlace(Tensors.scalar(1, DType.INT64));
            }
        }
        return y;
    }

    /** As PyTorch's repr: {@code BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + numFeatures + ", eps=" + PythonRepr.number(eps) + ", momentum="
                + (momentum == null ? "None" : PythonRepr.number(momentum)) + ", affine=" + PythonRepr.bool(weight != null)
                + ", track_running_stats=" + PythonRepr.bool(runningMean != null) + ")";
    }
}
