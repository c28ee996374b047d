package fathom.data;

import fathom.Rng;
import fathom.Tensors;

/**
 * Measures one loader epoch over an in-memory Fashion-MNIST-sized dataset (60,000 × [1, 28, 28],
 * batch 128, shuffled) with 0 and 2 workers; a measurement to run by hand, not a test:
 * {@code java -cp core/target/classes:data/target/classes:data/target/test-classes fathom.data.LoaderSpeed}.
 */
public final class LoaderSpeed {
    private LoaderSpeed() {}

    public static void main(String[] args) {
        Rng rng = new Rng(0);
        TensorDataset data = new TensorDataset(Tensors.rand(rng, 60_000, 1, 28, 28), Tensors.randint(rng, 0, 10, 60_000));
        for (int workers : new int[] {0, 2, 0, 2}) {
            DataLoader loader = new DataLoader(data, new LoaderConfig(128, true, false, workers, 2), new Rng(1));
            for (int epoch = 0; epoch < 3; epoch++) {
                long t0 = System.nanoTime();
                double checksum = 0;
                for (Batch b : loader) {
                    checksum += b.targets().get(0);
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                System.out.printf("workers=%d epoch %d: %.1f ms (%.3f ms per batch of %d), checksum %.0f%n",
                        workers, epoch, ms, ms / loader.numBatches(), loader.numBatches(), checksum);
            }
        }
    }
}
