package fathom.data;

import fathom.Rng;
import java.util.Optional;

/**
 * A finite, indexable collection of samples (PyTorch's map-style {@code Dataset}): {@link #get(int)}
 * returns sample {@code index} for every {@code 0 <= index < size()}.
 *
 * <p>A {@link DataLoader} calls {@link #get(int, Rng)} from its worker threads, so implementations
 * must be safe to read concurrently; datasets that augment draw every random number from the
 * {@link Rng} they are given, never from shared state, so that a batch does not depend on which
 * thread loaded it or when.
 */
public interface Dataset {
    /** The number of samples. */
    int size();

    /** Sample {@code index}, in {@code [0, size())}; an index outside it throws {@link IndexOutOfBoundsException}. */
    Example get(int index);

    /**
     * Sample {@code index}, with any random augmentation drawn from {@code rng}; datasets without
     * randomness ignore {@code rng}, which is the default.
     */
    default Example get(int index, Rng rng) {
        return get(index);
    }

    /**
     * The samples at {@code indices} collated into one batch in a single step (one
     * {@link fathom.Tensor#indexSelect} per tensor), or empty when this dataset must be read sample by
     * sample, which is the default. Datasets that hold their samples as rows of whole tensors override
     * it, and the loader then skips the per-sample gets and the stacking.
     */
    default Optional<Batch> select(int[] indices) {
        return Optional.empty();
    }
}
