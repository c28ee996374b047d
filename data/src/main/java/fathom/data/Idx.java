package fathom.data;

import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number
 * {@code 0x0000TTRR} (element type TT, rank RR), RR big-endian int32 sizes, then the elements in
 * row-major order; gzip-compressed files are recognized by their first bytes, not their name.
 *
 * <p>Only unsigned-byte elements (type 0x08) are supported, which is what the MNIST family uses.
 * Labels (rank 1, magic 0x00000801) become int64 [N]; images (rank 3, magic 0x00000803, and any other
 * rank ≥ 2) become float32 [N, rows, cols] holding the raw values 0..255, unscaled: scaling to [0, 1]
 * is the dataset's choice ({@link Mnist} and {@link FashionMnist} divide by 255 as torchvision does).
 */
public final class Idx {
    /** The magic number of an unsigned-byte label file (rank 1). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The magic number of an unsigned-byte image file (rank 3). */
    public static final int IMAGES_MAGIC = 0x00000803;

    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {}

    /** The validated contents of an IDX file: its sizes and the element bytes. */
    record Contents(String source, int[] dims, byte[] bytes, int dataOffset) {
        int count() {
            return dims[0];
        }

        int magic() {
            return (UNSIGNED_BYTE << 8) | dims.length;
        }

        /**
         * The elements as float32 in {@code dims}, holding the raw values 0..255, mapped in parallel
         * chunks (47 M pixels of Fashion-MNIST took 190 ms one by one).
         */
        Tensor floats() {
            float[] v = new float[bytes.length - dataOffset];
            int chunk = 1 << 20;
            IntStream.range(0, (v.length + chunk - 1) / chunk).parallel().forEach(c -> {
                for (int i = c * chunk, end = Math.min(v.length, i + chunk); i < end; i++) {
                    v[i] = bytes[dataOffset + i] & 0xff;
                }
            });
            return Tensors.of(v, dims);
        }

        /** The elements as int64 in {@code dims}. */
        Tensor longs() {
            long[] v = new long[bytes.length - dataOffset];
            for (int i = 0; i < v.length; i++) {
                v[i] = bytes[dataOffset + i] & 0xff;
            }
            return Tensors.of(v, dims);
        }
    }

    /** Any unsigned-byte IDX file: rank 1 as int64 labels, higher ranks as float32 raw 0..255. */
    public static Tensor read(Path file) throws IOException {
        Contents c = parse(file);
        return c.dims().length == 1 ? c.longs() : c.floats();
    }

    /** A label file (magic 0x00000801) as int64 [N]. */
    public static Tensor readLabels(Path file) throws IOException {
        return expect(parse(file), LABELS_MAGIC).longs();
    }

    /** An image file (magic 0x00000803) as float32 [N, rows, cols] with the raw values 0..255. */
    public static Tensor readImages(Path file) throws IOException {
        return expect(parse(file), IMAGES_MAGIC).floats();
    }

    /** Validates an IDX file (inflated first when gzip, through {@link InflatedCache}) against its header. */
    static Contents parse(Path file) throws IOException {
        return parse(InflatedCache.read(file), file.toString());
    }

    static Contents read(InputStream in, String source) throws IOException {
        return parse(in.readAllBytes(), source);
    }

    static Contents expect(Contents c, int magic) throws DataFormatException {
        if (c.magic() != magic) {
            throw new DataFormatException(c.source(), "magic number " + hex(c.magic()) + " (rank " + c.dims().length
                    + "), expected " + hex(magic) + (magic == LABELS_MAGIC ? " (a label file)" : " (an image file)"));
        }
        return c;
    }

    /** Validates an IDX file's bytes (inflated first when gzip) against its header. */
    static Contents parse(byte[] raw, String source) throws DataFormatException {
        byte[] b = Gzip.inflateIfGzip(raw, source);
        if (b.length < 4) {
            throw new DataFormatException(source, "truncated: " + b.length + " bytes, shorter than the 4-byte IDX magic number");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        int magic = buf.getInt(0);
        if (b[0] != 0 || b[1] != 0) {
            throw new DataFormatException(source, "wrong magic number " + hex(magic) + ": an IDX file starts with two zero bytes,"
                    + " the element type and the rank (" + hex(LABELS_MAGIC) + " for labels, " + hex(IMAGES_MAGIC) + " for images)");
        }
        int type = b[2] & 0xff;
        int rank = b[3] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new DataFormatException(source, "element type 0x" + String.format("%02x", type)
                    + " (magic number " + hex(magic) + ") is not supported: only unsigned bytes (0x08)");
        }
        if (rank == 0) {
            throw new DataFormatException(source, "rank 0 in magic number " + hex(magic) + ": an IDX file has at least one dimension");
        }
        int header = 4 + 4 * rank;
        if (b.length < header) {
            throw new DataFormatException(source, "truncated header: rank " + rank + " needs " + header + " header bytes, the file has " + b.length);
        }
        int[] dims = new int[rank];
        long numel = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = buf.getInt(4 + 4 * d);
            if (dims[d] < 0) {
                throw new DataFormatException(source, "dimension " + d + " has negative size " + dims[d] + " (" + Integer.toUnsignedString(dims[d]) + " unsigned)");
            }
            numel *= dims[d];
        }
        if (numel > Shape.MAX_ELEMENTS) {
            throw new DataFormatException(source, "sizes " + Arrays.toString(dims) + " hold " + numel + " elements, more than a tensor can");
        }
        long data = b.length - header;
        if (data < numel) {
            throw new DataFormatException(source, "truncated: sizes " + Arrays.toString(dims) + " need " + numel
                    + " data bytes, the file has " + data);
        }
        if (data > numel) {
            throw new DataFormatException(source, "sizes " + Arrays.toString(dims) + " need " + numel + " data bytes, but the file has "
                    + data + " (" + (data - numel) + " bytes after the data)");
        }
        return new Contents(source, dims, b, header);
    }

    /**
     * Writes {@code values} (any rank ≥ 1, each value an integer in [0, 255]) as an unsigned-byte IDX
     * file, gzip-compressed when {@code gzip}; the file is written whole or not at all (a temporary
     * file in the same directory, then a rename).
     */
    public static void write(Path file, Tensor values, boolean gzip) throws IOException {
        if (values.dim() == 0) {
            throw new IllegalArgumentException("Idx.write: an IDX file needs at least one dimension, got a 0-d tensor");
        }
        double[] v = values.toDoubleArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 + 4 * values.dim() + v.length);
        ByteBuffer head = ByteBuffer.allocate(4 + 4 * values.dim());
        head.putInt((UNSIGNED_BYTE << 8) | values.dim());
        for (int d = 0; d < values.dim(); d++) {
            head.putInt(values.size(d));
        }
        bytes.write(head.array());
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] <= 255 && v[i] == Math.rint(v[i]))) {
                throw new IllegalArgumentException("Idx.write: element " + i + " is " + v[i] + ", not an unsigned byte (an integer in [0, 255])");
            }
            bytes.write((int) v[i]);
        }
        AtomicFile.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (gzip) {
                    try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
                        bytes.writeTo(z);
                    }
                } else {
                    bytes.writeTo(out);
                }
            }
        });
    }

    private static String hex(int magic) {
        return String.format("0x%08x", magic);
    }
}
