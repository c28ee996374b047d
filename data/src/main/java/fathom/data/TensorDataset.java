package fathom.data;

import fathom.Tensor;
import java.util.Objects;
import java.util.Optional;

/**
 * Sample {@code i} is {@code (inputs[i], targets[i])}, rows along the first dimension of two tensors
 * (PyTorch's {@code TensorDataset}); a batch is one {@code indexSelect} on each (on contiguous
 * tensors, one array copy per row).
 *
 * <p>{@link #get} returns views that share the tensors' storage: transforms return new tensors and
 * never write into their input, so the rows stay intact.
 */
public final class TensorDataset implements Dataset {
    private final Tensor inputs;
    private final Tensor targets;

    /** A dataset over {@code inputs} [N, ...] and {@code targets} [N, ...]; the first dimensions must agree. */
    public TensorDataset(Tensor inputs, Tensor targets) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        if (inputs.dim() == 0 || targets.dim() == 0) {
            throw new IllegalArgumentException("TensorDataset needs tensors with a first (sample) dimension, got inputs "
                    + inputs.shape() + " and targets " + targets.shape());
        }
        if (inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("TensorDataset: inputs " + inputs.shape() + " hold " + inputs.size(0)
                    + " samples but targets " + targets.shape() + " hold " + targets.size(0));
        }
        this.inputs = inputs.detach();
        this.targets = targets.detach();
    }

    /** All inputs, [N, ...]. */
    public Tensor inputs() {
        return inputs;
    }

    /** All targets, [N, ...]. */
    public Tensor targets() {
        return targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    @Override
    public Example get(int index) {
        Objects.checkIndex(index, size());
        return new Example(inputs.select(0, index), targets.select(0, index));
    }

    @Override
    public Optional<Batch> select(int[] indices) {
        return Optional.of(new Batch(Rows.take(inputs, indices), Rows.take(targets, indices)));
    }
}
