package fathom.data;

import fathom.Rng;
import java.util.Objects;

/**
 * Sample {@code i} of {@code dataset} with {@code transform} applied to its input (the target is
 * unchanged), computed on each access, in the loader's worker threads.
 *
 * <p>A {@link DataLoader} passes each sample a generator derived from (loader seed, epoch, sample
 * index), so augmentations change every epoch yet repeat exactly for the same seed, whatever the
 * worker count. {@link #get(int)} alone uses a generator fixed by the index, so it repeats itself.
 */
public final class TransformedDataset implements Dataset {
    private final Dataset dataset;
    private final Transform transform;

    public TransformedDataset(Dataset dataset, Transform transform) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.transform = Objects.requireNonNull(transform, "transform");
    }

    public Dataset dataset() {
        return dataset;
    }

    public Transform transform() {
        return transform;
    }

    @Override
    public int size() {
        return dataset.size();
    }

    @Override
    public Example get(int index) {
        return get(index, DataLoader.sampleRng(0, index));
    }

    @Override
    public Example get(int index, Rng rng) {
        Example e = dataset.get(index, rng);
        return new Example(transform.apply(e.input(), rng), e.target());
    }
}
