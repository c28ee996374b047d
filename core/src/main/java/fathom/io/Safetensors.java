package fathom.io;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes safetensors files: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}), then
 * the tensors' raw little-endian bytes.
 *
 * <p>Reading applies every rule of the reference implementation: the header is at most 100 MB and
 * inside the file, valid UTF-8 JSON starting with '{', without duplicate names; each dtype is known and
 * each shape non-negative; byte sizes are computed without overflow and equal {@code end − begin};
 * the tensors cover the data contiguously from 0 with no gaps or overlaps and no trailing bytes.
 * F16, BF16, I8, U8 and I16 tensors are widened on read (to float32 or int32), since Fathom computes
 * in F32/F64/I64/I32/BOOL. Writing goes to a temporary file that is forced to disk and then renamed
 * over the target, so a crash never leaves a half-written file.
 */
public final class Safetensors {
    /** The reference implementation's cap on the header size. */
    public static final long MAX_HEADER_BYTES = 100_000_000;

    private Safetensors() {}

    /** A file's tensors (in file order) and its string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Reads and validates the file. */
    public static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(file + ": files over 2 GiB are not supported yet (" + size + " bytes)");
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    /** Reads and validates bytes that came from {@code source} (named in errors). */
    public static Contents read(byte[] bytes, String source) throws SafetensorsException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw fail(source, "is " + bytes.length + " bytes long, shorter than the 8-byte header length");
        }
        long n = buf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fail(source, "declares a header of " + Long.toUnsignedString(n) + " bytes, over the " + MAX_HEADER_BYTES + "-byte limit");
        }
        if (8 + n > bytes.length) {
            throw fail(source, "declares a header of " + n + " bytes but holds only " + (bytes.length - 8) + " after the length");
        }
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw fail(source, "has a header that is not valid UTF-8");
        }
        if (!header.startsWith("{")) {
            throw fail(source, "has a header that does not start with '{'");
        }
        Map<String, Object> json;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = (Map<String, Object>) Json.parse(header);
            json = parsed;
        } catch (IllegalArgumentException | ClassCastException e) {
            throw fail(source, "has an invalid JSON header: " + e.getMessage());
        }
        int dataStart = 8 + (int) n;
        long dataLength = bytes.length - (long) dataStart;
        Map<String, String> metadata = metadata(json.remove("__metadata__"), source);
        List<Entry> entries = new ArrayList<>();
        for (var e : json.entrySet()) {
            entries.add(Entry.parse(e.getKey(), e.getValue(), source));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw fail(source, "tensor \"" + e.name + "\" starts at byte " + e.begin + " but the previous tensor ends at "
                        + expected + (e.begin > expected ? " (a gap)" : " (an overlap)"));
            }
            expected = e.end;
        }
        if (expected != dataLength) {
            throw fail(source, "has " + dataLength + " data bytes but its tensors cover " + expected
                    + (dataLength > expected ? " (trailing bytes)" : " (truncated)"));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            tensors.put(e.name, e.decode(buf, dataStart));
        }
        return new Contents(tensors, metadata);
    }

    private static Map<String, String> metadata(Object raw, String source) throws SafetensorsException {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw fail(source, "has a __metadata__ that is not an object");
        }
        for (var e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw fail(source, "has a __metadata__ value for \"" + e.getKey() + "\" that is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    /** Writes the tensors (contiguous, little-endian) and metadata, atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            String sep = "";
            for (var e : metadata.entrySet()) {
                header.append(sep).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                sep = ",";
            }
            header.append('}');
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("a tensor cannot be named __metadata__");
            }
            Tensor t = e.getValue();
            long bytes = (long) t.numel() * t.dtype().byteSize();
            header.append(header.length() > 1 ? "," : "").append(Json.quote(e.getKey())).append(":{\"dtype\":\"")
                    .append(t.dtype().safetensorsName()).append("\",\"shape\":").append(t.shape())
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (head.length + 7) / 8 * 8;
        AtomicFile.write(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ByteBuffer pre = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                pre.putLong(padded).put(head);
                while (pre.hasRemaining()) {
                    pre.put((byte) ' ');
                }
                writeFully(ch, pre.flip());
                for (Tensor t : tensors.values()) {
                    writeFully(ch, encode(t));
                }
            }
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static ByteBuffer encode(Tensor t) {
        Tensor c = t.detach().contiguous();
        Storage st = c.storage();
        int n = t.numel();
        ByteBuffer b = ByteBuffer.allocate(n * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        int o = c.offset();
        switch (t.dtype()) {
            case FLOAT32 -> b.asFloatBuffer().put(st.floats(), o, n);
            case FLOAT64 -> b.asDoubleBuffer().put(st.doubles(), o, n);
            case INT64 -> b.asLongBuffer().put(st.longs(), o, n);
            case INT32 -> b.asIntBuffer().put(st.ints(), o, n);
            case BOOL -> {
                boolean[] v = st.booleans();
                for (int i = 0; i < n; i++) {
                    b.put(i, (byte) (v[o + i] ? 1 : 0));
                }
            }
        }
        return b;
    }

    static SafetensorsException fail(String source, String what) {
        return new SafetensorsException(source + " " + what);
    }

    /** One header entry, checked. */
    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
        static Entry parse(String name, Object raw, String source) throws SafetensorsException {
            if (!(raw instanceof Map<?, ?> m)) {
                throw fail(source, "tensor \"" + name + "\": header entry is not an object");
            }
            if (!(m.get("dtype") instanceof String dtype)) {
                throw fail(source, "tensor \"" + name + "\": missing or non-string dtype");
            }
            int width = byteWidth(dtype);
            if (width == 0) {
                throw fail(source, "tensor \"" + name + "\": unsupported dtype " + dtype);
            }
            if (!(m.get("shape") instanceof List<?> shapeList)) {
                throw fail(source, "tensor \"" + name + "\": missing shape");
            }
            int[] shape = new int[shapeList.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                    throw fail(source, "tensor \"" + name + "\": invalid dimension " + shapeList.get(i) + " in shape");
                }
                shape[i] = (int) (long) d;
                try {
                    numel = Math.multiplyExact(numel, d);
                } catch (ArithmeticException e) {
                    throw fail(source, "tensor \"" + name + "\": shape " + shapeList + " overflows");
                }
            }
            if (!(m.get("data_offsets") instanceof List<?> off) || off.size() != 2
                    || !(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end) || begin < 0 || end < begin) {
                throw fail(source, "tensor \"" + name + "\": data_offsets must be [begin, end] with 0 ≤ begin ≤ end");
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(numel, width);
            } catch (ArithmeticException e) {
                throw fail(source, "tensor \"" + name + "\": byte size of shape " + shapeList + " overflows");
            }
            if (end - begin != bytes) {
                throw fail(source, "tensor \"" + name + "\": " + dtype + " " + shapeList + " needs " + bytes
                        + " bytes but data_offsets span " + (end - begin));
            }
            for (String k : ((Map<String, ?>) m).keySet()) {
                if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                    throw fail(source, "tensor \"" + name + "\": unknown header field \"" + k + "\"");
                }
            }
            return new Entry(name, dtype, shape, begin, end);
        }

        static int byteWidth(String dtype) {
            return switch (dtype) {
                case "F64", "I64" -> 8;
                case "F32", "I32" -> 4;
                case "F16", "BF16", "I16" -> 2;
                case "BOOL", "U8", "I8" -> 1;
                default -> 0;
            };
        }

        Tensor decode(ByteBuffer file, int dataStart) throws SafetensorsException {
            Shape s;
            try {
                s = Shape.of(shape);
            } catch (fathom.ShapeException e) {
                throw new SafetensorsException("tensor \"" + name + "\": " + e.getMessage());
            }
            int n = s.numel();
            ByteBuffer b = file.slice(dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            return switch (dtype) {
                case "F32" -> wrap(DType.FLOAT32, s, floats(b, n));
                case "F64" -> {
                    double[] v = new double[n];
                    b.asDoubleBuffer().get(v);
                    yield wrap(DType.FLOAT64, s, v);
                }
                case "I64" -> {
                    long[] v = new long[n];
                    b.asLongBuffer().get(v);
                    yield wrap(DType.INT64, s, v);
                }
                case "I32" -> {
                    int[] v = new int[n];
                    b.asIntBuffer().get(v);
                    yield wrap(DType.INT32, s, v);
                }
                case "BOOL" -> {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = b.get(i) != 0;
                    }
                    yield wrap(DType.BOOL, s, v);
                }
                case "F16", "BF16" -> {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        short h = b.getShort(2 * i);
                        v[i] = dtype.equals("F16") ? Float.float16ToFloat(h) : Float.intBitsToFloat((h & 0xffff) << 16);
                    }
                    yield wrap(DType.FLOAT32, s, v);
                }
                default -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (dtype) {
                            case "U8" -> b.get(i) & 0xff;
                            case "I8" -> b.get(i);
                            default -> b.getShort(2 * i);
                        };
                    }
                    yield wrap(DType.INT32, s, v);
                }
            };
        }

        private static float[] floats(ByteBuffer b, int n) {
            float[] v = new float[n];
            b.asFloatBuffer().get(v);
            return v;
        }

        private static Tensor wrap(DType dtype, Shape s, Object array) {
            return Tensors.asStrided(Storage.wrap(dtype, array), s, s.contiguousStrides(), 0);
        }
    }
}
