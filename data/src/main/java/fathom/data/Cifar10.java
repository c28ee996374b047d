package fathom.data;

import fathom.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary version ({@code cifar-10-batches-bin}): inputs float32 [3, 32, 32] scaled to
 * [0, 1], kept as their bytes until drawn ({@link ByteImageDataset}), targets int64 class indices into
 * {@link #CLASSES}.
 *
 * <p>Each file is a run of 3,073-byte records: one label byte (0..9), then 1,024 red, 1,024 green
 * and 1,024 blue pixel bytes, each plane 32×32 row-major, which is exactly the [3, 32, 32] layout.
 * The training split is {@code data_batch_1.bin} to {@code data_batch_5.bin} (50,000 images), the test
 * split {@code test_batch.bin} (10,000). The training split's pixels take 154 MB as bytes; held as
 * float32 (as this class once did) they took 614 MB, and converting them all cost seconds before the first
 * batch. torchvision's CIFAR10 likewise keeps its {@code data} as uint8.
 */
public final class Cifar10 {
    /** The class names, in label order. */
    public static final List<String> CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** Bytes per record: a label byte and 3 × 32 × 32 pixel bytes. */
    public static final int RECORD_BYTES = 1 + 3 * 32 * 32;

    private Cifar10() {}

    /** The training split (the five data batches) or the test split in {@code dir}. */
    public static ByteImageDataset load(Path dir, boolean train) throws IOException {
        List<Path> files = new ArrayList<>();
        if (train) {
            for (int i = 1; i <= 5; i++) {
                files.add(dir.resolve("data_batch_" + i + ".bin"));
            }
        } else {
            files.add(dir.resolve("test_batch.bin"));
        }
        return read(files);
    }

    /** The records of {@code files}, in order. */
    public static ByteImageDataset read(List<Path> files) throws IOException {
        List<byte[]> contents = new ArrayList<>(files.size());
        long records = 0;
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            if (b.length == 0) {
                throw new DataFormatException(f.toString(), "empty: no " + RECORD_BYTES + "-byte records");
            }
            if (b.length % RECORD_BYTES != 0) {
                throw new DataFormatException(f.toString(), b.length + " bytes are not a whole number of " + RECORD_BYTES
                        + "-byte records (1 label byte + 3072 pixel bytes): " + b.length / RECORD_BYTES
                        + " records, then " + b.length % RECORD_BYTES + " bytes (truncated?)");
            }
            for (int r = 0, n = b.length / RECORD_BYTES; r < n; r++) {
                int label = b[r * RECORD_BYTES] & 0xff;
                if (label >= CLASSES.size()) {
                    throw new DataFormatException(f.toString(), "record " + r + " (byte offset " + (long) r * RECORD_BYTES
                            + ") has label " + label + ", not a class in [0, " + CLASSES.size() + ")");
                }
            }
            contents.add(b);
            records += b.length / RECORD_BYTES;
        }
        if (records * (RECORD_BYTES - 1) > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(files.toString(), records + " records are more than one tensor can hold");
        }
        int n = (int) records;
        int pixels = RECORD_BYTES - 1;
        byte[] x = new byte[n * pixels];
        long[] y = new long[n];
        int i = 0;
        for (byte[] b : contents) {
            for (int r = 0; r < b.length / RECORD_BYTES; r++, i++) {
                int at = r * RECORD_BYTES;
                y[i] = b[at] & 0xff;
                System.arraycopy(b, at + 1, x, i * pixels, pixels);
            }
        }
        return new ByteImageDataset(x, 0, new int[] {3, 32, 32}, Tensors.of(y));
    }
}
