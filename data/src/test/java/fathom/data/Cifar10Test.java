package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Shape;
import fathom.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    @TempDir
    Path dir;

    /**
     * Records whose label is {@code first + r} (mod 10) and whose pixel (c, y, x) is
     * (r + 50c + y + x) mod 256: every plane and row distinct, so a layout mix-up shows.
     */
    static byte[] records(int n, int first) {
        byte[] b = new byte[n * Cifar10.RECORD_BYTES];
        for (int r = 0; r < n; r++) {
            int at = r * Cifar10.RECORD_BYTES;
            b[at] = (byte) ((first + r) % 10);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        b[at + 1 + c * 1024 + y * 32 + x] = (byte) (r + 50 * c + y + x);
                    }
                }
            }
        }
        return b;
    }

    private void write(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsTheTestBatchInChannelPlaneOrder() throws IOException {
        write("test_batch.bin", records(3, 7));
        ByteImageDataset data = Cifar10.load(dir, false);
        assertEquals(3, data.size());
        assertEquals(Shape.of(3, 3, 32, 32), data.inputs().shape());
        assertArrayEquals(new long[] {7, 8, 9}, data.targets().toLongArray());
        Tensor img = data.get(2).input();
        assertEquals((2 + 50 * 0 + 0 + 0) / 255f, (float) img.get(0, 0, 0));
        assertEquals((2 + 50 * 1 + 3 + 5) / 255f, (float) img.get(1, 3, 5), "green plane, row 3, column 5");
        assertEquals((2 + 50 * 2 + 31 + 30) / 255f, (float) img.get(2, 31, 30), "blue plane, last row");
        assertEquals(((2 + 100 + 31 + 31) & 0xff) / 255f, (float) img.get(2, 31, 31));
        assertTrue(data.inputs().max().item() <= 1 && data.inputs().min().item() >= 0);
    }

    @Test
    void theTrainingSplitConcatenatesFiveBatchesInOrder() throws IOException {
        for (int i = 1; i <= 5; i++) {
            write("data_batch_" + i + ".bin", records(2, i));
        }
        ByteImageDataset data = Cifar10.load(dir, true);
        assertEquals(10, data.size());
        assertArrayEquals(new long[] {1, 2, 2, 3, 3, 4, 4, 5, 5, 6}, data.targets().toLongArray());
    }

    @Test
    void aTruncatedFileIsNamedWithItsByteCount() throws IOException {
        byte[] b = records(2, 0);
        write("test_batch.bin", Arrays.copyOf(b, b.length - 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(dir, false));
        assertTrue(e.getMessage().startsWith(dir.resolve("test_batch.bin") + ": 6046 bytes are not a whole number of 3073-byte records"),
                e.getMessage());
        assertTrue(e.getMessage().contains("1 records, then 2973 bytes"), e.getMessage());
    }

    @Test
    void badLabelsEmptyAndMissingFiles() throws IOException {
        byte[] b = records(3, 0);
        b[2 * Cifar10.RECORD_BYTES] = 12;
        write("test_batch.bin", b);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.load(dir, false));
        assertTrue(e.getMessage().contains("record 2 (byte offset 6146) has label 12"), e.getMessage());
        write("test_batch.bin", new byte[0]);
        e = assertThrows(DataFormatException.class, () -> Cifar10.load(dir, false));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> Cifar10.load(dir, true));
        assertTrue(missing.getMessage().contains("data_batch_1.bin"), missing.getMessage());
    }
}
