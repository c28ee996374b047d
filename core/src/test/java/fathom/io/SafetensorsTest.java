package fathom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryDtypeViewsAndMetadata() throws IOException {
        Rng rng = new Rng(1);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensors.randn(rng, 3, 4).t());
        t.put("d", Tensors.randn(rng, Shape.of(5), DType.FLOAT64));
        t.put("i", Tensors.arange(6).reshape(2, 3));
        t.put("j", Tensors.of(new int[] {7, -8}));
        t.put("b", Tensors.of(new boolean[] {true, false, true}));
        t.put("s", Tensors.scalar(2.5));
        t.put("empty", Tensors.zeros(0, 3));
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, t, Map.of("format", "pt"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(t.keySet(), c.tensors().keySet());
        for (String k : t.keySet()) {
            assertEquals(t.get(k).shape(), c.tensors().get(k).shape(), k);
            assertEquals(t.get(k).dtype(), c.tensors().get(k).dtype(), k);
            assertArrayEquals(t.get(k).toDoubleArray(), c.tensors().get(k).toDoubleArray(), k);
        }
        assertEquals("pt", c.metadata().get("format"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static String rejected(byte[] bytes) {
        return assertThrows(SafetensorsException.class, () -> Safetensors.read(bytes, "bad.safetensors")).getMessage();
    }

    @Test
    void malformedFilesGetErrorsNamingFileAndRule() {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(1, assertDoesNotThrowRead(file(ok, 8)).tensors().size());
        assertTrue(rejected(new byte[4]).contains("shorter than the 8-byte header length"));
        assertTrue(rejected(file(ok, 4)).contains("truncated"));
        assertTrue(rejected(file(ok, 12)).contains("trailing bytes"));
        byte[] huge = file(ok, 8);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 200_000_000L);
        assertTrue(rejected(huge).contains("limit"));
        byte[] beyond = file(ok, 8);
        ByteBuffer.wrap(beyond).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 10_000L);
        assertTrue(rejected(beyond).contains("holds only"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)).contains("needs 12 bytes"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8)).contains("unsupported dtype Q7"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)).contains("overlap"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)).contains("gap"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16)).contains("duplicate key"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8))
                .contains("overflows"));
        assertTrue(rejected(file("{\"__metadata__\":{\"k\":1}}", 0)).contains("not a string"));
        assertTrue(rejected(file("[1]", 0)).contains("start with '{'"));
        assertTrue(rejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0)).contains("invalid dimension"));
        byte[] notUtf8 = file("{\"a\":1}", 0);
        notUtf8[10] = (byte) 0xff;
        assertTrue(rejected(notUtf8).contains("UTF-8"));
    }

    @Test
    void halfPrecisionTensorsAreWidenedOnRead() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
        byte[] bytes = file(header, 6);
        ByteBuffer data = ByteBuffer.wrap(bytes, bytes.length - 6, 6).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f)).putShort((short) (Float.floatToIntBits(3f) >>> 16));
        Safetensors.Contents c = Safetensors.read(bytes, "half");
        assertArrayEquals(new float[] {1.5f, -2f}, c.tensors().get("h").toFloatArray());
        assertArrayEquals(new float[] {3f}, c.tensors().get("b").toFloatArray());
    }

    private static Safetensors.Contents assertDoesNotThrowRead(byte[] b) {
        try {
            return Safetensors.read(b, "ok");
        } catch (SafetensorsException e) {
            throw new AssertionError(e);
        }
    }
}
