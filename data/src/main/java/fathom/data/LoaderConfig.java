package fathom.data;

/**
 * How a {@link DataLoader} walks a dataset: {@code batchSize} samples per batch, a new random order
 * each epoch when {@code shuffle}, the last short batch dropped when {@code dropLast}, and
 * {@code workers} background threads each keeping up to {@code prefetch} batches loaded ahead
 * (PyTorch's {@code num_workers} and {@code prefetch_factor}).
 *
 * <p>{@code workers = 0} loads each batch in the caller's thread when it is asked for, and ignores
 * {@code prefetch}. With workers, at most {@code workers × prefetch} batches are loaded and not yet
 * taken, which bounds the memory ahead of the training loop.
 */
public record LoaderConfig(int batchSize, boolean shuffle, boolean dropLast, int workers, int prefetch) {
    public LoaderConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be ≥ 0, got " + workers);
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be ≥ 1 batch per worker, got " + prefetch);
        }
    }

    /** Batches loaded in the caller's thread, the last short batch kept (PyTorch's defaults but for shuffle). */
    public LoaderConfig(int batchSize, boolean shuffle) {
        this(batchSize, shuffle, false, 0, 2);
    }
}
