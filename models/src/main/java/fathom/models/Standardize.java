package fathom.models;

import fathom.Tensor;
import fathom.nn.Module;

/**
 * (x − mean) / std per feature, with mean and std fixed buffers (saved in the state dict, not trained):
 * x [B, F] → [B, F]. Tabular models put it first so that features on different scales train alike.
 */
public final class Standardize extends Module {
    public final Tensor mean;
    public final Tensor std;

    /** From the training set's per-feature mean and standard deviation, both [F]; a zero std is treated as 1. */
    public Standardize(Tensor mean, Tensor std) {
        if (mean.dim() != 1 || !mean.shape().equals(std.shape())) {
            throw new fathom.ShapeException("Standardize needs mean and std of one shape [F], got " + mean.shape() + " and " + std.shape());
        }
        this.mean = buffer("mean", mean.detach().clone());
        this.std = buffer("std", Tensor.where(std.eq(0), fathom.Tensors.scalar(1, std.dtype()), std).detach().clone());
    }

    /** Statistics of {@code x} [N, F] over its rows. */
    public static Standardize fit(Tensor x) {
        return new Standardize(x.mean(0), x.std(new int[] {0}, 0, false));
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.sub(mean).div(std);
    }
}
