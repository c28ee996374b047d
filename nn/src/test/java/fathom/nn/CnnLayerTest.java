package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.AutogradException;
import fathom.DType;
import fathom.DTypeException;
import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.Upsampling;
import fathom.Upsampling.Mode;
import fathom.ValuesAndIndices;
import fathom.optim.Adam;
import org.junit.jupiter.api.Test;

/** The CNN layers beyond the PyTorch fixtures: channel dropout, shape and argument errors, and one batch overfitted. */
class CnnLayerTest {
    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call) {
        return assertThrows(type, call).getMessage();
    }

    @Test
    void dropout2dZeroesWholeChannelsAndRescales() {
        Dropout2d d = new Dropout2d(0.25, new Rng(1));
        Tensor x = Tensors.ones(64, 50, 3, 4).requiresGrad(true);
        Tensor y = d.call(x);
        float[] v = y.toFloatArray();
        int dropped = 0;
        for (int plane = 0; plane < 64 * 50; plane++) {
            float first = v[plane * 12];
            assertTrue(first == 0 || Math.abs(first - 1 / 0.75f) < 1e-6, "kept values are scaled by 1/(1 - p)");
            for (int k = 1; k < 12; k++) {
                assertEquals(first, v[plane * 12 + k], "a channel is kept or dropped as a whole");
            }
            dropped += first == 0 ? 1 : 0;
        }
        double sd = Math.sqrt(0.25 * 0.75 / 3200);
        assertEquals(0.25, dropped / 3200.0, 5 * sd);
        y.sum().backward();
        assertArrayEquals(v, x.grad().toFloatArray(), "the gradient is the scaled mask");
        assertArrayEquals(v, new Dropout2d(0.25, new Rng(1)).call(Tensors.ones(64, 50, 3, 4)).toFloatArray(), "seeded");
    }

    @Test
    void dropout2dEdgeCases() {
        Tensor x = Tensors.randn(new Rng(2), 2, 3, 4, 5);
        Dropout2d d = new Dropout2d(0.5, new Rng(3));
        d.eval();
        assertSame(x, d.call(x));
        assertSame(x, new Dropout2d(0, new Rng(4)).call(x));
        assertArrayEquals(new float[120], new Dropout2d(1, new Rng(5)).call(x.abs()).toFloatArray(), 0f);
        // an unbatched [C, H, W] input drops whole channels too
        float[] u = new Dropout2d(0.5, new Rng(6)).call(Tensors.ones(40, 2, 2)).toFloatArray();
        for (int c = 0; c < 40; c++) {
            assertEquals(u[4 * c], u[4 * c + 3]);
        }
        assertEquals(DType.FLOAT64, new Dropout2d(0.5, new Rng(7)).call(Tensors.ones(Shape.of(2, 2, 2, 2), DType.FLOAT64)).dtype());
        assertTrue(message(ShapeException.class, () -> d.call(Tensors.zeros(4, 5))).contains("[4, 5]"));
        assertThrows(IllegalArgumentException.class, () -> new Dropout2d(1.5, new Rng(8)));
    }

    @Test
    void poolingRefusesBadShapesAndArguments() {
        Tensor x = Tensors.zeros(2, 3, 5, 5);
        assertTrue(message(ShapeException.class, () -> new MaxPool2d(2).call(Tensors.zeros(5, 5))).contains("[5, 5]"));
        assertTrue(message(ShapeException.class, () -> new MaxPool2d(7).call(x)).contains("[2, 3, 5, 5]"), "input smaller than the window");
        assertTrue(message(IllegalArgumentException.class, () -> PoolWindow.of(2, 1, 2)).contains("half of kernel size"));
        assertThrows(IllegalArgumentException.class, () -> PoolWindow.of(0));
        assertThrows(IllegalArgumentException.class, () -> new PoolWindow(new int[] {2, 2, 2}, null, new int[] {0}, new int[] {1}, false));
        // dilation 3 with padding 1 on a 2 × 2 input: the only window's taps all land in the padding
        PoolWindow allPadding = new PoolWindow(new int[] {2}, new int[] {1}, new int[] {1}, new int[] {3}, false);
        assertTrue(message(IllegalArgumentException.class, () -> Pooling.maxPool2d(Tensors.zeros(1, 1, 2, 2), allPadding)).contains("padding"));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(new PoolWindow(new int[] {2}, null, new int[] {0}, new int[] {2}, false),
                true, null));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(PoolWindow.of(2), true, 0));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool1d(new PoolWindow(new int[] {2, 2}, null, new int[] {0}, new int[] {1},
                false)));
        assertTrue(message(ShapeException.class, () -> new MaxPool1d(2).call(x)).contains("[N, C, L]"));
        assertThrows(DTypeException.class, () -> Pooling.maxPool2d(Tensors.zeros(Shape.of(1, 1, 2, 2), DType.INT64), 2));
        assertTrue(message(ShapeException.class, () -> new AdaptiveAvgPool2d(2).call(Tensors.zeros(1, 1, 0, 3))).contains("[1, 1, 0, 3]"));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveMaxPool2d(-1, 2));
        assertEquals(Shape.of(2, 3, 1, 1), new AdaptiveAvgPool2d(1).call(x).shape(), "global average pooling");
        assertEquals(Shape.of(3, 4, 5), new AdaptiveAvgPool2d(4, null).call(Tensors.zeros(3, 7, 5)).shape(), "null keeps the input size");
        assertEquals(Shape.of(2, 3, 3, 3), new MaxPool2d(new PoolWindow(new int[] {2}, null, new int[] {0}, new int[] {1}, true)).call(x).shape(),
                "ceil mode keeps the partial last window");
    }

    @Test
    void maxPoolIndicesFeedTheGradientAndAreProtectedFromInPlaceChanges() {
        Tensor x = Tensors.of(new float[] {1, 5, 2, 0, 3, 5, 9, 4, 7, 8, 6, 2, 0, 1, 3, 2}, 1, 1, 4, 4).requiresGrad(true);
        ValuesAndIndices r = new MaxPool2d(2).forwardWithIndices(x);
        assertArrayEquals(new float[] {5, 9, 8, 6}, r.values().toFloatArray());
        assertArrayEquals(new long[] {1, 6, 9, 10}, r.indices().toLongArray(), "flat index within the 4 × 4 plane; the tie keeps the first 5");
        r.values().sum().backward();
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0}, x.grad().toFloatArray());
        ValuesAndIndices again = Pooling.maxPool2dWithIndices(x, PoolWindow.of(2));
        again.indices().fillInPlace(0);
        assertThrows(AutogradException.class, () -> again.values().sum().backward());
    }

    @Test
    void normalizationRefusesBadShapes() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertTrue(message(ShapeException.class, () -> bn.call(Tensors.zeros(4, 3))).contains("[4, 3]"));
        assertTrue(message(ShapeException.class, () -> bn.call(Tensors.zeros(2, 4, 2, 2))).contains("[2, 4, 2, 2]"));
        assertThrows(ShapeException.class, () -> bn.call(Tensors.zeros(1, 3, 1, 1)), "one value per channel cannot train");
        assertEquals(0, bn.numBatchesTracked.item(), "a refused batch does not count");
        bn.call(Tensors.randn(new Rng(1), 2, 3, 2, 2));
        assertEquals(1, bn.numBatchesTracked.item());
        bn.eval();
        assertEquals(Shape.of(1, 3, 1, 1), bn.call(Tensors.zeros(1, 3, 1, 1)).shape());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3, 1e-5, 1.5, true, true, DType.FLOAT32));
        assertTrue(message(ShapeException.class, () -> new GroupNorm(2, 4).call(Tensors.zeros(2, 6, 3))).contains("[2, 6, 3]"));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        assertThrows(ShapeException.class, () -> new GroupNorm(1, 4).call(Tensors.zeros(4)));
    }

    @Test
    void upsamplingRefusesBadShapesAndArguments() {
        Tensor x = Tensors.zeros(1, 2, 3, 4);
        assertTrue(message(ShapeException.class, () -> new Upsample(new double[] {2}, Mode.BILINEAR, false).call(Tensors.zeros(1, 2, 3)))
                .contains("[1, 2, 3]"));
        assertThrows(IllegalArgumentException.class, () -> new Upsample(new double[] {2}, Mode.NEAREST, true));
        assertThrows(IllegalArgumentException.class, () -> Upsampling.interpolate(x, new int[] {5}, Mode.NEAREST, false));
        assertThrows(IllegalArgumentException.class, () -> Upsampling.interpolate(x, new double[] {-1}, Mode.NEAREST, false));
        assertThrows(ShapeException.class, () -> Upsampling.interpolate(x, new double[] {0.1}, Mode.NEAREST, false));
        assertEquals(Shape.of(1, 2, 6, 8), new Upsample(2).call(x).shape());
        assertEquals(Shape.of(1, 2, 7, 3), new Upsample(new int[] {7, 3}, Mode.BILINEAR, true).call(x).shape());
        assertTrue(message(ShapeException.class, () -> new PixelShuffle(2).call(Tensors.zeros(1, 6, 2, 2))).contains("[1, 6, 2, 2]"));
        assertTrue(message(ShapeException.class, () -> new PixelUnshuffle(2).call(Tensors.zeros(1, 1, 3, 4))).contains("[1, 1, 3, 4]"));
        Tensor y = Tensors.randn(new Rng(2), 2, 8, 3, 5);
        assertArrayEquals(y.toFloatArray(), new PixelUnshuffle(2).call(new PixelShuffle(2).call(y)).toFloatArray(), "inverse of each other");
    }

    /** A small network of the new layers (no convolution) fits eight random images to random labels. */
    @Test
    void overfitsOneBatch() {
        Rng rng = new Rng(3);
        Sequential net = new Sequential(new BatchNorm2d(3), new MaxPool2d(2), new PixelUnshuffle(2), new GroupNorm(3, 12), new Relu(),
                new Dropout2d(0.1, rng), new Upsample(new double[] {2}, Mode.BILINEAR, false), new AvgPool2d(3, 1, 1),
                new AdaptiveMaxPool2d(2), new Flatten(), new Linear(48, 4, true, rng));
        Tensor images = Tensors.randn(rng, 8, 3, 8, 8);
        Tensor labels = Tensors.of(new long[] {0, 1, 2, 3, 3, 2, 1, 0});
        Adam opt = new Adam(net.parameters(), 0.05);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 150; step++) {
            opt.zeroGrad();
            Tensor l = loss.apply(net.call(images), labels);
            l.backward();
            opt.step();
            if (step == 0) {
                first = l.item();
            }
            last = l.item();
        }
        net.eval();
        Tensor predicted = net.call(images).argmax(1, false);
        assertArrayEquals(labels.toLongArray(), predicted.toLongArray(), "loss went from " + first + " to " + last);
        assertTrue(last < 0.2 * first, "loss went from " + first + " to " + last);
        assertNotEquals(0, ((BatchNorm2d) net.get(0)).runningMean.abs().sum().item(), "running statistics moved");
    }
}
