package fathom.data;

import fathom.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the Fashion-MNIST sample shipped in the data jar: the first {@link FashionMnist#SAMPLE_TRAIN}
 * training and first {@link FashionMnist#SAMPLE_TEST} test images and labels of Debian's
 * {@code dataset-fashion-mnist} (MIT license), as gzipped IDX files named as the originals.
 *
 * <p>Run from the repository root after building the data module:
 * {@code java -cp core/target/classes:data/target/classes:data/target/test-classes fathom.data.MakeFashionMnistSample [from] [to]}
 * (defaults: {@code /usr/share/datasets/fashion-mnist} and
 * {@code data/src/main/resources/fathom/data/fashion-mnist-sample}). Java's gzip writer stores no
 * timestamp, so a rerun on the same JDK reproduces the committed files byte for byte.
 */
public final class MakeFashionMnistSample {
    private MakeFashionMnistSample() {}

    public static void main(String[] args) throws IOException {
        Path from = args.length > 0 ? Path.of(args[0]) : FashionMnist.DEBIAN_DIR;
        Path to = args.length > 1 ? Path.of(args[1]) : Path.of("data/src/main/resources/fathom/data/fashion-mnist-sample");
        copyFirst(from, to, "train", FashionMnist.SAMPLE_TRAIN);
        copyFirst(from, to, "t10k", FashionMnist.SAMPLE_TEST);
    }

    private static void copyFirst(Path from, Path to, String split, int n) throws IOException {
        for (String kind : new String[] {"images-idx3", "labels-idx1"}) {
            String name = split + "-" + kind + "-ubyte.gz";
            Tensor all = Idx.read(from.resolve(name));
            Tensor first = all.narrow(0, 0, n);
            Path out = to.resolve(name);
            Idx.write(out, first, true);
            System.out.printf("%s: %s of %s, %d bytes%n", out, first.shape(), all.shape(), Files.size(out));
        }
    }
}
