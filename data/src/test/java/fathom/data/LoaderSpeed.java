package fathom.data;

import fathom.Rng;
import java.io.IOException;

/**
 * Measures loader epochs over Fashion-MNIST (60,000 × [1, 28, 28] when installed, else the 6,000
 * sample), batch 128, shuffled, with 0 and 2 workers: whole-tensor selection, and per-sample reads
 * with crop and flip augmentation. A measurement to run by hand, not a test:
 * {@code java -cp core/target/classes:data/target/classes:data/target/test-classes fathom.data.LoaderSpeed}.
 */
public final class LoaderSpeed {
    private LoaderSpeed() {}

    public static void main(String[] args) throws IOException {
        long t0 = System.nanoTime();
        ByteImageDataset data = FashionMnist.load(true);
        System.out.printf("loaded %d training images in %.0f ms%n", data.size(), (System.nanoTime() - t0) / 1e6);
        Dataset augmented = new TransformedDataset(data, new RandomCrop(28, 2).andThen(new RandomHorizontalFlip()));
        for (Dataset d : new Dataset[] {data, augmented}) {
            String name = d == data ? "in-memory select" : "per-sample crop+flip";
            for (int workers : new int[] {0, 2, 4}) {
                DataLoader loader = new DataLoader(d, new LoaderConfig(128, true, false, workers, 2), new Rng(1));
                double best = Double.MAX_VALUE;
                for (int epoch = 0; epoch < 4; epoch++) {
                    long start = System.nanoTime();
                    long checksum = 0;
                    for (Batch b : loader) {
                        checksum += (long) b.targets().get(0);
                    }
                    best = Math.min(best, (System.nanoTime() - start) / 1e6);
                    if (checksum < 0) {
                        throw new AssertionError();
                    }
                }
                System.out.printf("%-22s workers=%d: best epoch %.0f ms, %.3f ms per batch of 128 (%d batches)%n",
                        name, workers, best, best / loader.numBatches(), loader.numBatches());
            }
        }
    }
}
