package fathom.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando, MIT license): 28×28 grayscale images of 10 kinds of clothing, 60,000 for
 * training and 10,000 for testing; inputs float32 [1, 28, 28] scaled to [0, 1], targets int64 class
 * indices into {@link #CLASSES}.
 *
 * <p>{@link #load(boolean)} reads the full set that Debian's {@code dataset-fashion-mnist} package
 * installs in {@link #DEBIAN_DIR}, and falls back to the sample shipped inside this jar when it is
 * not installed: the first 6,000 training and first 1,000 test images of the same files, enough for
 * a demo to learn something and for tests.
 */
public final class FashionMnist {
    /** The class names, in label order. */
    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Where Debian's {@code dataset-fashion-mnist} package puts the gzipped IDX files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The sizes of the shipped sample: training, then test. */
    public static final int SAMPLE_TRAIN = 6000;
    public static final int SAMPLE_TEST = 1000;

    static final String SAMPLE_RESOURCE = "fashion-mnist-sample";

    private FashionMnist() {}

    /** The full split from {@link #DEBIAN_DIR} when {@link #installed()}, else the shipped sample. */
    public static ByteImageDataset load(boolean train) throws IOException {
        return installed() ? load(DEBIAN_DIR, train) : loadSample(train);
    }

    /** The split in {@code dir}, whose files are named as the originals ({@code train-images-idx3-ubyte.gz}, ...). */
    public static ByteImageDataset load(Path dir, boolean train) throws IOException {
        return Mnist.load(dir, train, CLASSES.size());
    }

    /** The sample shipped in this jar: 6,000 training or 1,000 test images, the first of the full set. */
    public static ByteImageDataset loadSample(boolean train) throws IOException {
        return Mnist.loadResources(FashionMnist.class, SAMPLE_RESOURCE, train, CLASSES.size());
    }

    /** Whether the full set is in {@link #DEBIAN_DIR}. */
    public static boolean installed() {
        for (String split : new String[] {"train", "t10k"}) {
            for (String kind : new String[] {"images-idx3", "labels-idx1"}) {
                if (!Files.isRegularFile(DEBIAN_DIR.resolve(split + "-" + kind + "-ubyte.gz"))) {
                    return false;
                }
            }
        }
        return true;
    }
}
