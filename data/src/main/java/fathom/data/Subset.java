package fathom.data;

import fathom.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sample {@code i} is sample {@code indices[i]} of the underlying dataset (PyTorch's {@code Subset});
 * {@link #randomSplit} cuts a dataset into disjoint random subsets with a seeded {@link Rng}.
 */
public final class Subset implements Dataset {
    private final Dataset dataset;
    private final int[] indices;

    /** The samples of {@code dataset} at {@code indices} (copied; each must be in range, repeats are allowed). */
    public Subset(Dataset dataset, int[] indices) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.indices = indices.clone();
        int n = dataset.size();
        for (int k = 0; k < this.indices.length; k++) {
            if (this.indices[k] < 0 || this.indices[k] >= n) {
                throw new IndexOutOfBoundsException("Subset: index " + this.indices[k] + " at position " + k
                        + " is outside the dataset's " + n + " samples");
            }
        }
    }

    /**
     * Disjoint subsets of the given lengths, which must add up to the dataset's size, drawn from one
     * random permutation of {@code rng} (PyTorch's {@code random_split}).
     */
    public static List<Subset> randomSplit(Dataset dataset, int[] lengths, Rng rng) {
        long total = 0;
        for (int len : lengths) {
            if (len < 0) {
                throw new IllegalArgumentException("randomSplit: negative length in " + Arrays.toString(lengths));
            }
            total += len;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: lengths " + Arrays.toString(lengths) + " add up to " + total
                    + ", but the dataset has " + dataset.size() + " samples");
        }
        int[] perm = permutation(dataset.size(), rng);
        List<Subset> parts = new ArrayList<>(lengths.length);
        int at = 0;
        for (int len : lengths) {
            parts.add(new Subset(dataset, Arrays.copyOfRange(perm, at, at + len)));
            at += len;
        }
        return parts;
    }

    /**
     * Disjoint subsets holding the given fractions of the dataset (summing to 1); each gets
     * floor(fraction · size) samples and the remainder goes one by one to the first subsets, as PyTorch does.
     */
    public static List<Subset> randomSplit(Dataset dataset, double[] fractions, Rng rng) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fraction " + f + " is outside [0, 1]");
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions) + " add up to " + sum + ", not 1");
        }
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (int) Math.floor(fractions[i] * n);
            assigned += lengths[i];
        }
        for (int i = 0; assigned < n; i = (i + 1) % lengths.length) {
            lengths[i]++;
            assigned++;
        }
        return randomSplit(dataset, lengths, rng);
    }

    /** 0 .. n − 1 shuffled by Fisher-Yates with {@code rng}. */
    static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The underlying dataset. */
    public Dataset dataset() {
        return dataset;
    }

    /** The underlying dataset's indices of this subset's samples (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        return dataset.get(indices[Objects.checkIndex(index, indices.length)]);
    }

    @Override
    public Example get(int index, Rng rng) {
        return dataset.get(indices[Objects.checkIndex(index, indices.length)], rng);
    }

    @Override
    public Optional<Batch> select(int[] batch) {
        int[] mapped = new int[batch.length];
        for (int k = 0; k < batch.length; k++) {
            mapped[k] = indices[Objects.checkIndex(batch[k], indices.length)];
        }
        return dataset.select(mapped);
    }
}
