package fathom.data;

import fathom.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST-format datasets from a directory of IDX files named as the originals,
 * {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}, each gzipped ({@code .gz}) or not: inputs
 * float32 [1, 28, 28] scaled to [0, 1] (pixel / 255, as torchvision's {@code ToTensor}), kept as bytes
 * until drawn ({@link ByteImageDataset}), targets int64 class indices. {@link FashionMnist} reads the same layout.
 */
public final class Mnist {
    /** The digit classes, "0" to "9". */
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private Mnist() {}

    /** The training (60,000 for MNIST) or test (10,000) split in {@code dir}. */
    public static ByteImageDataset load(Path dir, boolean train) throws IOException {
        return load(dir, train, CLASSES.size());
    }

    static ByteImageDataset load(Path dir, boolean train, int classes) throws IOException {
        Path images = find(dir, split(train) + "-images-idx3-ubyte");
        Path labels = find(dir, split(train) + "-labels-idx1-ubyte");
        return dataset(Idx.parse(images), Idx.parse(labels), classes);
    }

    /** The same split from two class-path resources of {@code owner}'s module. */
    static ByteImageDataset loadResources(Class<?> owner, String dir, boolean train, int classes) throws IOException {
        String images = dir + "/" + split(train) + "-images-idx3-ubyte.gz";
        String labels = dir + "/" + split(train) + "-labels-idx1-ubyte.gz";
        return dataset(resource(owner, images), resource(owner, labels), classes);
    }

    static String split(boolean train) {
        return train ? "train" : "t10k";
    }

    private static Idx.Contents resource(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new NoSuchFileException("resource " + name + " of " + owner.getModule());
            }
            return Idx.read(in, "resource " + name);
        }
    }

    private static Path find(Path dir, String name) throws NoSuchFileException {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new NoSuchFileException(gz.toString(), null, "neither it nor " + plain.getFileName() + " exists");
    }

    private static ByteImageDataset dataset(Idx.Contents images, Idx.Contents labels, int classes) throws DataFormatException {
        Idx.expect(images, Idx.IMAGES_MAGIC);
        Idx.expect(labels, Idx.LABELS_MAGIC);
        if (images.count() != labels.count()) {
            throw new DataFormatException(images.source(), "holds " + images.count() + " images but " + labels.source()
                    + " holds " + labels.count() + " labels");
        }
        Tensor y = labels.longs();
        long[] v = y.storage().longs();
        for (int i = 0; i < v.length; i++) {
            if (v[i] >= classes) {
                throw new DataFormatException(labels.source(), "label " + v[i] + " at index " + i + " is not a class in [0, " + classes + ")");
            }
        }
        int[] d = images.dims();
        return new ByteImageDataset(images.bytes(), images.dataOffset(), new int[] {1, d[1], d[2]}, y);
    }
}
