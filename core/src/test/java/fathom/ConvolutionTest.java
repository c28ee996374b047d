package fathom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.autograd.Op;
import org.junit.jupiter.api.Test;

/**
 * The functional convolutions: small cases worked by hand, output sizes, the recorded op, dtypes,
 * empty batches and the errors (gradients and PyTorch agreement are checked by the op registry in
 * fathom-testing).
 */
class ConvolutionTest {
    private static Tensor t(int[] shape, float... v) {
        return Tensors.of(v, shape);
    }

    @Test
    void handWorkedConvolutionAndTransposedConvolution() {
        Tensor x = t(new int[] {1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Tensor w = t(new int[] {1, 1, 2, 2}, 1, 1, 1, 1);
        Tensor b = t(new int[] {1}, 0.5f);
        assertArrayEquals(new float[] {12.5f, 16.5f, 24.5f, 28.5f}, Convolution.conv2d(x, w, b).toFloatArray());
        // each input pixel places a copy of the kernel, scaled, stride apart
        Tensor px = t(new int[] {1, 1, 1, 2}, 1, 2);
        Tensor k = t(new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
        Tensor up = Convolution.convTranspose2d(px, k, null, 2, 0, 0, 1, 1);
        assertEquals(Shape.of(1, 1, 2, 4), up.shape());
        assertArrayEquals(new float[] {1, 2, 2, 4, 3, 4, 6, 8}, up.toFloatArray());
    }

    @Test
    void outputSizesFollowPyTorch() {
        Tensor x = Tensors.zeros(2, 3, 5, 6);
        assertEquals(Shape.of(2, 4, 5, 6), Convolution.conv2d(x, Tensors.zeros(4, 3, 4, 2), null, 1, "same", 1, 1).shape());
        assertEquals(Shape.of(2, 4, 2, 5), Convolution.conv2d(x, Tensors.zeros(4, 3, 4, 2), null, 1, "valid", 1, 1).shape());
        assertEquals(Shape.of(2, 4, 2, 2), Convolution.conv2d(x, Tensors.zeros(4, 3, 3, 3), null, 2, 1, 2, 1).shape());
        assertEquals(Shape.of(2, 6, 5, 6), Convolution.conv2d(x, Tensors.zeros(6, 1, 3, 3), null, 1, 1, 1, 3).shape());
        assertEquals(Shape.of(2, 4, 7), Convolution.conv1d(Tensors.zeros(2, 3, 13), Tensors.zeros(4, 3, 3), null, 2, 1, 1, 1).shape());
        assertEquals(Shape.of(4, 13), Convolution.conv1d(Tensors.zeros(3, 13), Tensors.zeros(4, 3, 4), null, 1, "same", 3, 1).shape());
        // (H − 1)·s − 2p + d·(k − 1) + op + 1; every size here checked against torch 1.13
        assertEquals(Shape.of(2, 3, 10, 9), Convolution.convTranspose2d(x, Tensors.zeros(3, 3, 3, 2), null, new int[] {2, 1},
                new int[] {1, 0}, new int[] {1, 0}, 1, new int[] {1, 3}).shape());
        assertEquals(Shape.of(2, 7, 8), Convolution.convTranspose2d(Tensors.zeros(3, 5, 6), Tensors.zeros(3, 2, 3, 3), null).shape());
    }

    @Test
    void oneRecordedOpWithTheBiasInsideAndPromotedDtypes() {
        Tensor x = Tensors.randn(new Rng(1), 2, 3, 5, 5);
        Tensor w = Tensors.randn(new Rng(2), Shape.of(4, 3, 3, 3), DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensors.zeros(4).requiresGrad(true);
        Tensor y = Convolution.conv2d(x, w, b, 1, 1);
        assertEquals(DType.FLOAT64, y.dtype());
        assertInstanceOf(Op.Conv2d.class, y.gradFn().op());
        Tensor g = Tensors.randn(new Rng(3), y.shape(), DType.FLOAT64);
        y.backward(g);
        assertArrayEquals(g.sum(new int[] {0, 2, 3}, false).toDoubleArray(), b.grad().to(DType.FLOAT64).toDoubleArray(), 1e-5);
        assertThrows(DTypeException.class, () -> Convolution.conv2d(Tensors.zeros(Shape.of(1, 1, 3, 3), DType.INT64),
                Tensors.zeros(Shape.of(1, 1, 2, 2), DType.INT64), null));
    }

    @Test
    void anEmptyBatchGivesEmptyOutputsAndZeroWeightGradients() {
        Tensor x = Tensors.zeros(0, 2, 5, 5).requiresGrad(true);
        Tensor w = Tensors.randn(new Rng(4), 3, 2, 3, 3).requiresGrad(true);
        Tensor y = Convolution.conv2d(x, w, null);
        assertEquals(Shape.of(0, 3, 3, 3), y.shape());
        y.sum().backward();
        assertEquals(Shape.of(0, 2, 5, 5), x.grad().shape());
        assertArrayEquals(new float[54], w.grad().toFloatArray());
    }

    @Test
    void errorsNameTheOpTheShapesAndTheArgument() {
        Tensor x = Tensors.zeros(2, 3, 5, 5);
        ShapeException e = assertThrows(ShapeException.class, () -> Convolution.conv2d(x, Tensors.zeros(4, 2, 3, 3), null));
        assertTrue(e.getMessage().startsWith("conv2d:") && e.getMessage().contains("[2, 3, 5, 5]") && e.getMessage().contains("[4, 2, 3, 3]"),
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> Convolution.conv2d(x, Tensors.zeros(4, 3, 3), null));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Convolution.conv2d(x, Tensors.zeros(4, 3, 3, 3), Tensors.zeros(3)));
        assertTrue(e.getMessage().contains("bias [4]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Convolution.conv2d(x, Tensors.zeros(4, 3, 7, 3), null));
        assertTrue(e.getMessage().contains("smaller than the kernel"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Convolution.conv2d(Tensors.zeros(5, 5), Tensors.zeros(4, 3, 3, 3), null));
        assertTrue(e.getMessage().contains("[N, C, H, W]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Convolution.conv2d(x, Tensors.zeros(5, 1, 3, 3), null, 1, 0, 1, 3));
        assertTrue(e.getMessage().contains("out_channels 5"), e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensors.zeros(4, 3, 3, 3), null, 0, 0));
        assertTrue(a.getMessage().contains("stride"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensors.zeros(4, 3, 3, 3), null, 2, "same", 1, 1));
        assertTrue(a.getMessage().contains("same"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensors.zeros(4, 3, 3, 3), null, 1, "full", 1, 1));
        assertTrue(a.getMessage().contains("full"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(x, Tensors.zeros(4, 3, 3, 3), null, 1, 0, 1, 0));
        assertTrue(a.getMessage().contains("groups"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> Convolution.convTranspose2d(x, Tensors.zeros(3, 2, 3, 3), null, 2, 0, 2, 1, 1));
        assertTrue(a.getMessage().contains("output_padding"), a.getMessage());
        e = assertThrows(ShapeException.class, () -> Convolution.convTranspose2d(x, Tensors.zeros(4, 2, 3, 3), null));
        assertTrue(e.getMessage().startsWith("conv_transpose2d:") && e.getMessage().contains("[4, 2, 3, 3]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Convolution.conv1d(x, Tensors.zeros(4, 3, 3), null));
        assertTrue(e.getMessage().contains("conv1d") && e.getMessage().contains("[N, C, L]"), e.getMessage());
    }
}
