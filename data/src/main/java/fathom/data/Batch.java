package fathom.data;

import fathom.Tensor;
import java.util.Objects;

/**
 * A collated batch: {@code inputs} [B, ...] and {@code targets} [B, ...], the samples' tensors stacked
 * along a new first dimension (0-d int64 class targets become a [B] vector, as PyTorch's
 * {@code default_collate} does).
 */
public record Batch(Tensor inputs, Tensor targets) {
    public Batch {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("a batch needs inputs and targets with the same first dimension, got "
                    + inputs.shape() + " and " + targets.shape());
        }
    }

    /** The number of samples, B. */
    public int size() {
        return inputs.size(0);
    }
}
