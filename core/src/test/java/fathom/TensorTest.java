package fathom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void creation() {
        assertArrayEquals(new long[] {0, 1, 2, 3}, Tensors.arange(4).toLongArray());
        assertEquals(DType.INT64, Tensors.arange(4).dtype());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, Tensors.linspace(0, 1, 5).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 1}, Tensors.eye(2).toFloatArray());
        assertArrayEquals(new float[] {7, 7}, Tensors.full(Shape.of(2), DType.FLOAT32, 7).toFloatArray());
        assertEquals(Shape.of(2, 3), Tensors.of(new float[6], 2, 3).shape());
        var e = assertThrows(ShapeException.class, () -> Tensors.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void moreThanTwoToThe31ElementsIsAClearError() {
        var e = assertThrows(ShapeException.class, () -> Tensors.zeros(1 << 16, 1 << 15));
        assertTrue(e.getMessage().contains("[65536, 32768]") && e.getMessage().contains("2^31"), e.getMessage());
        assertThrows(ShapeException.class, () -> Shape.of(1 << 20, 1 << 20, 1 << 20));
        assertEquals(Shape.MAX_ELEMENTS, Shape.of(Shape.MAX_ELEMENTS).numel());
    }

    @Test
    void strideOfOneDimensionMatchesTheStrideArray() {
        Tensor t = Tensors.zeros(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[] {1, 12, 4}, t.strides());
        for (int d = 0; d < 3; d++) {
            assertEquals(t.strides()[d], t.stride(d));
            assertEquals(t.strides()[d], t.stride(d - 3));
        }
        assertThrows(ShapeException.class, () -> t.stride(3));
        assertThrows(ShapeException.class, () -> Tensors.scalar(1f).stride(0));
        assertThrows(ShapeException.class, () -> Tensors.scalar(1f).size(-1));
    }

    @Test
    void viewsShareStorageAndCopiesDoNot() {
        Tensor x = Tensors.arange(0.0, 6.0, 1.0).reshape(2, 3);
        Tensor v = x.reshape(3, 2);
        assertSame(x.storage(), v.storage());
        Tensor t = x.t();
        assertSame(x.storage(), t.storage());
        assertFalse(t.isContiguous());
        Tensor flat = t.reshape(-1);
        assertFalse(flat.storage() == x.storage(), "a transposed tensor cannot be flattened without a copy");
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, flat.toFloatArray());
        assertThrows(ShapeException.class, () -> t.view(-1));
        x.select(0, 1).fillInPlace(9);
        assertArrayEquals(new float[] {0, 1, 2, 9, 9, 9}, x.toFloatArray());
    }

    @Test
    void scaledInPlaceAddIsPytorchsAddWithAlpha() {
        Tensor f = Tensors.of(new float[] {1, 2, 3});
        f.addInPlace(Tensors.of(new float[] {10, 20, 30}), -0.5);
        assertArrayEquals(new float[] {-4, -8, -12}, f.toFloatArray());
        Tensor i = Tensors.of(new long[] {1, 2});
        i.addInPlace(Tensors.of(new long[] {3, 4}), 2);
        assertArrayEquals(new long[] {7, 10}, i.toLongArray());
        assertThrows(DTypeException.class, () -> i.addInPlace(Tensors.of(new long[] {3, 4}), 0.5),
                "an int64 tensor cannot hold a fractional scaled sum");
        Tensor w = Tensors.zeros(Shape.of(2), DType.FLOAT32).requiresGrad(true);
        assertThrows(AutogradException.class, () -> w.addInPlace(Tensors.ones(Shape.of(2), DType.FLOAT32), 2));
    }

    @Test
    void addMatmulInPlaceIsPytorchsAddmmWithBeta() {
        Tensor a = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensors.of(new float[] {1, 0, 1, 1}, 2, 2);
        Tensor c = Tensors.of(new float[] {10, 10, 10, 10}, 2, 2);
        c.addMatmulInPlace(a, b);
        assertArrayEquals(new float[] {13, 12, 17, 14}, c.toFloatArray());
        c.addMatmulInPlace(a, b, 2);
        assertArrayEquals(new float[] {29, 26, 41, 32}, c.toFloatArray());
        c.fillInPlace(Float.NaN).addMatmulInPlace(a, b, 0);
        assertArrayEquals(new float[] {3, 2, 7, 4}, c.toFloatArray(), "beta 0 does not read the old NaN");
        var shape = assertThrows(ShapeException.class, () -> c.addMatmulInPlace(a, Tensors.zeros(Shape.of(2, 3), DType.FLOAT32)));
        assertTrue(shape.getMessage().contains("[2, 3]"), shape.getMessage());
        assertThrows(DTypeException.class, () -> c.addMatmulInPlace(a.to(DType.FLOAT64), b));
    }

    @Test
    void slicingFlippingAndJoining() {
        Tensor x = Tensors.arange(10);
        assertArrayEquals(new long[] {1, 4, 7}, x.slice(0, 1, 9, 3).toLongArray());
        assertArrayEquals(new long[] {8, 9}, x.slice(0, -2, 100, 1).toLongArray());
        assertArrayEquals(new long[] {9, 8, 7}, x.flip(0).slice(0, 0, 3, 1).toLongArray());
        List<Tensor> parts = x.chunk(3, 0);
        assertEquals(List.of(4, 4, 2), parts.stream().map(p -> p.size(0)).toList());
        assertArrayEquals(x.toLongArray(), Tensor.cat(parts, 0).toLongArray());
        assertEquals(Shape.of(2, 10), Tensor.stack(List.of(x, x), 0).shape());
        assertThrows(IndexOutOfBoundsException.class, () -> x.select(0, 10));
    }

    @Test
    void broadcastingErrorsNameTheOpAndBothShapes() {
        var e = assertThrows(ShapeException.class, () -> Tensors.zeros(2, 3).add(Tensors.zeros(4)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        var m = assertThrows(ShapeException.class, () -> Tensors.zeros(2, 3).matmul(Tensors.zeros(4, 5)));
        assertTrue(m.getMessage().contains("[2, 3]") && m.getMessage().contains("[4, 5]"), m.getMessage());
        assertEquals(Shape.of(2, 3, 4), Tensors.zeros(3, 1).add(Tensors.zeros(2, 1, 4)).shape());
    }

    @Test
    void dtypePromotionFollowsPyTorch() {
        Tensor i = Tensors.arange(3);
        assertEquals(DType.INT64, i.add(1).dtype());
        assertEquals(DType.FLOAT32, i.add(0.5).dtype());
        assertEquals(DType.FLOAT32, i.div(2).dtype(), "true division");
        assertEquals(DType.FLOAT64, i.add(Tensors.zeros(Shape.of(3), DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT32, i.exp().dtype());
        assertEquals(DType.INT64, Tensors.of(new boolean[] {true, false, true}).sum().dtype());
        assertEquals(2, Tensors.of(new boolean[] {true, false, true}).sum().item());
        assertThrows(DTypeException.class, () -> Tensors.arange(3).requiresGrad(true));
    }

    @Test
    void printsLikePyTorchWithShapeAndDtype() {
        assertEquals("tensor([[0., 1.],\n        [2., 3.]], shape=[2, 2], dtype=float32)",
                Tensors.arange(0.0, 4.0, 1.0).reshape(2, 2).toString());
        assertEquals("tensor([ 0.5000, -1.2500], shape=[2], dtype=float64)", Tensors.of(new double[] {0.5, -1.25}).toString());
        assertEquals("tensor(3, shape=[], dtype=int64)", Tensors.scalar(3, DType.INT64).toString());
        String big = Tensors.arange(2000).toString();
        assertTrue(big.startsWith("tensor([   0,    1,    2, ..., 1997, 1998, 1999]"), big);
        assertTrue(Tensors.zeros(2).requiresGrad(true).mul(2).toString().contains("gradFn=<Binary(MUL)>"));
    }

    @Test
    void matmulFollowsPyTorchShapeRules() {
        Rng rng = new Rng(0);
        assertEquals(Shape.scalar(), Tensors.randn(rng, 3).matmul(Tensors.randn(rng, 3)).shape());
        assertEquals(Shape.of(2), Tensors.randn(rng, 2, 3).matmul(Tensors.randn(rng, 3)).shape());
        assertEquals(Shape.of(4), Tensors.randn(rng, 3).matmul(Tensors.randn(rng, 3, 4)).shape());
        assertEquals(Shape.of(5, 2, 4), Tensors.randn(rng, 5, 2, 3).matmul(Tensors.randn(rng, 3, 4)).shape());
        assertEquals(Shape.of(2, 5, 3, 4), Tensors.randn(rng, 2, 1, 3, 6).matmul(Tensors.randn(rng, 5, 6, 4)).shape());
        Tensor a = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new float[] {7, 10, 15, 22}, a.matmul(a).toFloatArray());
    }

    @Test
    void reductionsAndIndices() {
        Tensor x = Tensors.of(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertArrayEquals(new float[] {5, 6}, x.max(1, false).values().toFloatArray());
        assertArrayEquals(new long[] {1, 2}, x.max(1, false).indices().toLongArray());
        assertEquals(5, x.argmax().item());
        assertEquals(Shape.of(2, 1), x.sum(new int[] {1}, true).shape());
        assertEquals(3.5, x.mean().item(), 1e-6);
        assertEquals(3.5, x.var().item(), 1e-6);
        assertArrayEquals(new float[] {1, 6, 9, 4, 6, 12}, x.cumsum(1).toFloatArray());
        assertArrayEquals(new long[] {0, 0, 1, 0, 1, 0}, Tensors.of(new long[] {2, 1}).oneHot(3).toLongArray());
        float[] p = x.softmax(1).sum(1).toFloatArray();
        assertEquals(1, p[0], 1e-6);
        assertTrue(Float.isFinite(Tensors.of(new float[] {1000, 0}).logSoftmax(0).toFloatArray()[1]), "stable for large logits");
    }
}
