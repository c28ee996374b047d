package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Shape;
import fathom.Tensors;
import org.junit.jupiter.api.Test;

class ByteImageDatasetTest {
    /** Three 1x2x2 images after a 3-byte header: pixel values 0, 1, 127, 128, 254, 255 and others. */
    private static final byte[] PIXELS = {9, 9, 9, 0, 1, 127, (byte) 128, (byte) 254, (byte) 255, 2, 3, 10, 20, 30, 40};

    private static ByteImageDataset dataset() {
        return new ByteImageDataset(PIXELS, 3, new int[] {1, 2, 2}, Tensors.of(new long[] {7, 8, 9}));
    }

    @Test
    void aBatchIsThePixelsOver255AsFloat32() {
        Batch b = dataset().select(new int[] {2, 0}).orElseThrow();
        assertEquals(Shape.of(2, 1, 2, 2), b.inputs().shape());
        assertEquals(DType.FLOAT32, b.inputs().dtype());
        assertArrayEquals(new float[] {10 / 255f, 20 / 255f, 30 / 255f, 40 / 255f, 0f, 1 / 255f, 127 / 255f, 128 / 255f},
                b.inputs().toFloatArray());
        assertArrayEquals(new long[] {9, 7}, b.targets().toLongArray());
        assertEquals(1f, dataset().get(1).input().toFloatArray()[1], "255 scales to exactly 1");
    }

    @Test
    void oneSampleMatchesItsRowOfTheWholeTensor() {
        ByteImageDataset d = dataset();
        Example e = d.get(1);
        assertEquals(Shape.of(1, 2, 2), e.input().shape());
        assertEquals(8L, e.target().toLongArray()[0]);
        assertArrayEquals(d.inputs().select(0, 1).toFloatArray(), e.input().toFloatArray());
        assertEquals(Shape.of(3, 1, 2, 2), d.inputs().shape());
        assertEquals(3, d.size());
    }

    @Test
    void badIndicesAndShapesAreNamed() {
        ByteImageDataset d = dataset();
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(3));
        String m = assertThrows(IndexOutOfBoundsException.class, () -> d.select(new int[] {0, 5})).getMessage();
        assertTrue(m.contains("image 5") && m.contains("3 images"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new ByteImageDataset(PIXELS, 4, new int[] {1, 2, 2}, Tensors.of(new long[] {1, 2, 3}))).getMessage();
        assertTrue(m.contains("need 12 bytes from offset 4") && m.contains("holds 15"), m);
        assertThrows(IllegalArgumentException.class, () -> new ByteImageDataset(PIXELS, 0, new int[] {4, 3}, Tensors.of(new long[] {1})));
    }
}
