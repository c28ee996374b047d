package fathom.data;

import fathom.Rng;
import java.util.Objects;

/**
 * Iterates a {@link Dataset} in batches, one pass (epoch) per {@link #iterator()} (PyTorch's
 * {@code DataLoader}): {@link LoaderConfig#batchSize()} samples per {@link Batch}, inputs and targets
 * stacked along a new first dimension.
 *
 * <p>Each epoch takes one {@link Rng#split()} of the loader's generator, in the thread that calls
 * {@code iterator()}; that split draws the epoch's order (a new permutation when shuffling) and a
 * seed from which every sample's augmentation generator is derived by its index. So the batches of a
 * run are fixed by the seed and the epoch number alone: they are bit for bit the same with 0, 1 or
 * many workers, whatever the thread timing.
 *
 * <p>A dataset that can {@link Dataset#select select} whole batches (a {@link TensorDataset}, a
 * {@link Subset} of one, a {@link CsvDataset}) costs one {@code indexSelect} per tensor and batch;
 * other datasets are read sample by sample and stacked. Iterators of a loader with workers hold
 * threads: close one that is abandoned early (they are {@link AutoCloseable}), or let it go, in which
 * case its daemon threads finish the few batches already asked for and end within about a second.
 */
public final class DataLoader implements Iterable<Batch> {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final Dataset dataset;
    private final LoaderConfig config;
    private final Rng rng;

    /** A loader over {@code dataset}, with {@code rng} drawing each epoch's order and augmentation seeds. */
    public DataLoader(Dataset dataset, LoaderConfig config, Rng rng) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.config = Objects.requireNonNull(config, "config");
        this.rng = Objects.requireNonNull(rng, "rng");
    }

    public Dataset dataset() {
        return dataset;
    }

    public LoaderConfig config() {
        return config;
    }

    /** The number of batches in one epoch: ⌈N / B⌉, or ⌊N / B⌋ when dropping the last short batch. */
    public int numBatches() {
        int n = dataset.size();
        int b = config.batchSize();
        return config.dropLast() ? n / b : (n + b - 1) / b;
    }

    /**
     * A new epoch: draws its order and augmentation seed from the loader's generator, then, with
     * workers, starts loading ahead. Not safe to call from several threads at once.
     */
    @Override
    public BatchIterator iterator() {
        Rng epoch = rng.split();
        int n = dataset.size();
        int[] order;
        if (config.shuffle()) {
            order = Subset.permutation(n, epoch);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        return new BatchIterator(dataset, order, config, numBatches(), epoch.nextLong());
    }

    /**
     * The generator for sample {@code index} in the epoch whose seed is {@code epochSeed}: a function of
     * the two alone, so it does not matter which thread loads the sample, or when.
     */
    static Rng sampleRng(long epochSeed, int index) {
        return new Rng(mix64(epochSeed ^ mix64((index + 1L) * GOLDEN_GAMMA)));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
