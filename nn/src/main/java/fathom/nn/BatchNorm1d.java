package fathom.nn;

import fathom.Autograd;
import fathom.DType;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = (x − E[x]) / √(Var[x] + eps)·γ + β per channel, for x [N, C] or [N, C, L] (PyTorch's
 * {@code nn.BatchNorm1d}); statistics over N (and L).
 *
 * <p>In training mode (or without running statistics) the batch mean and biased variance normalize,
 * and the running estimates move by {@code running = (1 − momentum)·running + momentum·batch}, with the
 * unbiased variance (n/(n − 1) times the biased one), and {@code num_batches_tracked} counts the
 * updates, exactly as PyTorch. In eval mode the running estimates normalize. Parameters {@code weight}
 * (γ, ones) and {@code bias} (β, zeros) exist when {@code affine}; buffers {@code running_mean} (zeros),
 * {@code running_var} (ones) and {@code num_batches_tracked} (int64 0-d) when {@code trackRunningStats}.
 */
public final class BatchNorm1d extends Module {
    public final int numFeatures;
    public final double eps;
    public final double momentum;
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

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics; float32. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, DType.FLOAT32);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException("BatchNorm1d: numFeatures must be positive, got " + numFeatures);
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

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3 || input.size(1) != numFeatures) {
            throw new ShapeException("BatchNorm1d(" + numFeatures + ") expects input [N, " + numFeatures + "] or [N, "
                    + numFeatures + ", L], got " + input.shape());
        }
        int[] dims = input.dim() == 2 ? new int[] {0} : new int[] {0, 2};
        int[] channel = input.dim() == 2 ? new int[] {numFeatures} : new int[] {numFeatures, 1}; // broadcasts over [N, C(, L)]
        Tensor centered;
        Tensor var;
        if (isTraining() || runningMean == null) {
            int n = input.numel() / numFeatures;
            if (n <= 1 && isTraining()) {
                throw new ShapeException("BatchNorm1d: expected more than 1 value per channel when training, got input " + input.shape());
            }
            Tensor mean = input.mean(dims, true);
            centered = input.sub(mean);
            var = centered.square().mean(dims, true);
            if (isTraining() && runningMean != null) {
                updateRunningStats(mean, var, n);
            }
        } else {
            centered = input.sub(runningMean.reshape(channel));
            var = runningVar.reshape(channel);
        }
        Tensor y = centered.mul(var.add(eps).rsqrt());
        return weight == null ? y : y.mul(weight.reshape(channel)).add(bias.reshape(channel));
    }

    private void updateRunningStats(Tensor mean, Tensor var, int n) {
        try (var _ = Autograd.noGrad()) {
            runningMean.mulInPlace(1 - momentum).addInPlace(mean.reshape(numFeatures), momentum);
            runningVar.mulInPlace(1 - momentum).addInPlace(var.reshape(numFeatures), momentum * n / (n - 1));
            numBatchesTracked.addInPlace(Tensors.scalar(1, DType.INT64));
        }
    }

    @Override
    public String toString() {
        return "BatchNorm1d(" + numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null)
                + ", track_running_stats=" + (runningMean != null) + ")";
    }
}
