package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file's bytes: magic, sizes, then {@code data}. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37);
        }
        return b;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private DataFormatException malformed(String name, byte[] bytes) throws IOException {
        Path p = file(name, bytes);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertEquals(p.toString(), e.source());
        return e;
    }

    @Test
    void readsImagesAsRawFloatsAndLabelsAsInt64() throws IOException {
        byte[] pixels = ramp(2 * 3 * 4);
        Tensor images = Idx.read(file("images", idx(Idx.IMAGES_MAGIC, new int[] {2, 3, 4}, pixels)));
        assertEquals(DType.FLOAT32, images.dtype());
        assertEquals(Shape.of(2, 3, 4), images.shape());
        float[] v = images.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            assertEquals(pixels[i] & 0xff, v[i]);
        }
        assertTrue(images.max().item() > 200, "unsigned: bytes ≥ 128 are not negative");
        Tensor labels = Idx.readLabels(file("labels", idx(Idx.LABELS_MAGIC, new int[] {3}, new byte[] {9, 0, (byte) 200})));
        assertEquals(DType.INT64, labels.dtype());
        assertArrayEquals(new long[] {9, 0, 200}, labels.toLongArray());
    }

    @Test
    void gzipIsRecognizedByItsMagicBytesNotTheName() throws IOException {
        byte[] plain = idx(Idx.IMAGES_MAGIC, new int[] {1, 2, 2}, new byte[] {1, 2, 3, (byte) 255});
        Tensor a = Idx.readImages(file("zipped.idx", gzip(plain)));
        Tensor b = Idx.readImages(file("plain.gz", plain));
        assertArrayEquals(new float[] {1, 2, 3, 255}, a.toFloatArray());
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Tensor images = Tensors.of(new float[] {0, 1, 254, 255, 7, 8}, 1, 2, 3);
        for (boolean gz : new boolean[] {true, false}) {
            Path p = dir.resolve("w" + gz);
            Idx.write(p, images, gz);
            assertEquals(gz, Gzip.isGzip(Files.readAllBytes(p)));
            assertArrayEquals(images.toFloatArray(), Idx.readImages(p).toFloatArray());
        }
        Path labels = dir.resolve("labels.gz");
        Idx.write(labels, Tensors.of(new long[] {3, 1, 4}), true);
        assertArrayEquals(new long[] {3, 1, 4}, Idx.readLabels(labels).toLongArray());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    void writeRefusesValuesThatAreNotUnsignedBytes() {
        for (float bad : new float[] {256, -1, 0.5f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Idx.write(dir.resolve("bad"), Tensors.of(new float[] {1, bad}), false));
            assertTrue(e.getMessage().contains("element 1"), e.getMessage());
        }
        assertTrue(Files.notExists(dir.resolve("bad")));
    }

    @Test
    void wrongMagicNumber() throws IOException {
        DataFormatException e = malformed("png", idx(0x89504e47, new int[] {1}, new byte[0]));
        assertTrue(e.getMessage().contains("wrong magic number 0x89504e47"), e.getMessage());
        e = assertThrows(DataFormatException.class,
                () -> Idx.readImages(file("labels", idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[2]))));
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("expected 0x00000803"), e.getMessage());
        e = assertThrows(DataFormatException.class,
                () -> Idx.readLabels(file("images", idx(Idx.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[1]))));
        assertTrue(e.getMessage().contains("expected 0x00000801"), e.getMessage());
    }

    @Test
    void unsupportedElementTypeAndRankZero() throws IOException {
        DataFormatException e = malformed("floats", idx(0x00000d01, new int[] {1}, new byte[4]));
        assertTrue(e.getMessage().contains("element type 0x0d"), e.getMessage());
        e = malformed("rank0", idx(0x00000800, new int[0], new byte[0]));
        assertTrue(e.getMessage().contains("rank 0"), e.getMessage());
    }

    @Test
    void gzipOutputIsWholeWhenTheTrailerSizeHintIsShort() throws IOException {
        byte[] a = ramp(70_000);
        byte[] b = ramp(1_000);
        byte[] twoMembers = new byte[gzip(a).length + gzip(b).length];
        System.arraycopy(gzip(a), 0, twoMembers, 0, gzip(a).length);
        System.arraycopy(gzip(b), 0, twoMembers, gzip(a).length, gzip(b).length);
        byte[] both = Gzip.inflateIfGzip(twoMembers, "two members");
        assertEquals(71_000, both.length, "the last member's ISIZE (1000) is only a hint");
        assertArrayEquals(a, java.util.Arrays.copyOf(both, 70_000));
        assertArrayEquals(b, java.util.Arrays.copyOfRange(both, 70_000, 71_000));
        assertArrayEquals(a, Gzip.inflateIfGzip(gzip(a), "one member"));
    }

    @Test
    void truncatedFiles() throws IOException {
        DataFormatException e = malformed("short", new byte[] {0, 0, 8});
        assertTrue(e.getMessage().contains("truncated: 3 bytes"), e.getMessage());
        e = malformed("header", Arrays.copyOf(idx(Idx.IMAGES_MAGIC, new int[] {1, 2, 2}, new byte[4]), 10));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        e = malformed("data", Arrays.copyOf(idx(Idx.IMAGES_MAGIC, new int[] {10, 2, 2}, new byte[40]), 16 + 30));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("need 40 data bytes, the file has 30"), e.getMessage());
        byte[] zipped = gzip(idx(Idx.IMAGES_MAGIC, new int[] {10, 8, 8}, ramp(640)));
        e = malformed("cut.gz", Arrays.copyOf(zipped, zipped.length / 2));
        assertTrue(e.getMessage().contains("truncated gzip"), e.getMessage());
    }

    @Test
    void corruptGzipAndSizesThatDisagree() throws IOException {
        byte[] zipped = gzip(idx(Idx.LABELS_MAGIC, new int[] {4}, new byte[] {1, 2, 3, 4}));
        zipped[zipped.length - 6] ^= 0x55; // inside the CRC-32 trailer
        DataFormatException e = malformed("crc.gz", zipped);
        assertTrue(e.getMessage().contains("corrupt gzip"), e.getMessage());
        e = malformed("extra", idx(Idx.LABELS_MAGIC, new int[] {4}, new byte[7]));
        assertTrue(e.getMessage().contains("3 bytes after the data"), e.getMessage());
        e = malformed("negative", idx(Idx.IMAGES_MAGIC, new int[] {1, -2, 2}, new byte[4]));
        assertTrue(e.getMessage().contains("dimension 1 has negative size -2"), e.getMessage());
    }

    /** Writes an MNIST-layout directory with n images of 2×3 and the given labels. */
    private Path mnistDir(String name, int n, byte[] labels, boolean gz) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        byte[] images = idx(Idx.IMAGES_MAGIC, new int[] {n, 2, 3}, ramp(n * 6));
        byte[] lab = idx(Idx.LABELS_MAGIC, new int[] {labels.length}, labels);
        String ext = gz ? ".gz" : "";
        Files.write(d.resolve("t10k-images-idx3-ubyte" + ext), gz ? gzip(images) : images);
        Files.write(d.resolve("t10k-labels-idx1-ubyte" + ext), gz ? gzip(lab) : lab);
        return d;
    }

    @Test
    void mnistDirectoriesScaleToUnitRangeWithAChannelDimension() throws IOException {
        for (boolean gz : new boolean[] {true, false}) {
            ByteImageDataset data = Mnist.load(mnistDir("ok" + gz, 3, new byte[] {7, 0, 9}, gz), false);
            assertEquals(3, data.size());
            assertEquals(Shape.of(3, 1, 2, 3), data.inputs().shape());
            byte[] raw = ramp(18);
            float[] v = data.inputs().toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertEquals((raw[i] & 0xff) / 255f, v[i]);
            }
            assertEquals(9, data.get(2).target().item());
            assertEquals(DType.INT64, data.targets().dtype());
        }
    }

    @Test
    void mnistDirectoriesWithDisagreeingOrBadFiles() throws IOException {
        Path d = mnistDir("count", 3, new byte[] {1, 2}, true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.load(d, false));
        assertTrue(e.getMessage().contains("holds 3 images") && e.getMessage().contains("holds 2 labels"), e.getMessage());
        Path bad = mnistDir("label", 3, new byte[] {1, 10, 2}, true);
        e = assertThrows(DataFormatException.class, () -> Mnist.load(bad, false));
        assertTrue(e.getMessage().contains("label 10 at index 1") && e.getMessage().contains("labels-idx1"), e.getMessage());
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> Mnist.load(d, true));
        assertTrue(missing.getMessage().contains("train-images-idx3-ubyte"), missing.getMessage());
    }
}
