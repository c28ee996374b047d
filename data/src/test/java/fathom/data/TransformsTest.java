package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformsTest {
    /** An image [c, h, w] holding 1, 2, 3, ... in row-major order. */
    static Tensor counting(int c, int h, int w) {
        float[] v = new float[c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return Tensors.of(v, c, h, w);
    }

    @Test
    void normalizeSubtractsAndDividesPerChannel() {
        Tensor img = Tensors.of(new float[] {0.5f, 1f, 3f, 5f}, 2, 1, 2);
        Tensor out = new Normalize(new double[] {0.5, 1}, new double[] {0.25, 2}).apply(img, new Rng(0));
        assertArrayEquals(new float[] {0f, 2f, 1f, 2f}, out.toFloatArray());
        Tensor one = new Normalize(new double[] {1}, new double[] {2}).apply(img, new Rng(0));
        assertArrayEquals(new float[] {-0.25f, 0f, 1f, 2f}, one.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Normalize(new double[] {0, 0, 0}, new double[] {1, 1, 1}).apply(img, new Rng(0)));
        assertTrue(e.getMessage().contains("3 means") && e.getMessage().contains("2 channels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[] {0, 1}, new double[] {1}));
    }

    @Test
    void flipMirrorsEveryRowWithProbabilityP() {
        Tensor img = counting(2, 2, 3);
        Tensor flipped = new RandomHorizontalFlip(1).apply(img, new Rng(0));
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, flipped.toFloatArray());
        assertArrayEquals(img.toFloatArray(), new RandomHorizontalFlip(0).apply(img, new Rng(0)).toFloatArray());
        assertArrayEquals(img.flip(2).toFloatArray(), flipped.toFloatArray());
        int flips = 0;
        Rng rng = new Rng(7);
        for (int i = 0; i < 1000; i++) {
            if (new RandomHorizontalFlip().apply(img, rng).get(0, 0, 0) == 3) {
                flips++;
            }
        }
        assertTrue(flips > 430 && flips < 570, flips + " of 1000 flipped with p = 0.5");
        assertEquals(1, img.get(0, 0, 0), "the input is not modified");
    }

    @Test
    void cropTakesAWindowOfTheZeroPaddedImage() {
        Tensor img = counting(2, 4, 5);
        float[] v = img.toFloatArray();
        int pad = 2;
        boolean sawZeroCorner = false;
        boolean sawFullInside = false;
        for (int seed = 0; seed < 60; seed++) {
            Tensor out = new RandomCrop(3, 4, pad).apply(img, new Rng(seed));
            assertEquals(Shape.of(2, 3, 4), out.shape());
            Rng replay = new Rng(seed);
            int top = replay.nextInt(4 + 2 * pad - 3 + 1) - pad;
            int left = replay.nextInt(5 + 2 * pad - 4 + 1) - pad;
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 4; x++) {
                        int sy = top + y;
                        int sx = left + x;
                        float expected = sy < 0 || sy >= 4 || sx < 0 || sx >= 5 ? 0 : v[(c * 4 + sy) * 5 + sx];
                        assertEquals(expected, (float) out.get(c, y, x), "seed " + seed + " at " + c + "," + y + "," + x);
                    }
                }
            }
            sawZeroCorner |= out.get(0, 0, 0) == 0;
            sawFullInside |= out.min().item() > 0;
        }
        assertTrue(sawZeroCorner && sawFullInside, "both padded and unpadded windows occur");
        assertArrayEquals(v, new RandomCrop(4, 5, 0).apply(img, new Rng(1)).toFloatArray(), "a full-size crop is the image");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(9, 1).apply(img, new Rng(0)));
        assertTrue(e.getMessage().contains("9×9") && e.getMessage().contains("6×7"), e.getMessage());
    }

    @Test
    void affineRotatesCounterClockwiseAndShifts() {
        Planes dot = Planes.zeros(1, 3, 3);
        dot.data()[dot.index(0, 1, 2)] = 1; // right of center
        Planes up = RandomAffine.warp(dot, 90, 0, 0);
        assertEquals(1, up.data()[up.index(0, 0, 1)], 1e-6, "90° counter-clockwise takes right to top");
        assertEquals(1, sum(up), 1e-6);
        Planes down = RandomAffine.warp(dot, -90, 0, 0);
        assertEquals(1, down.data()[down.index(0, 2, 1)], 1e-6);
        Planes shifted = RandomAffine.warp(dot, 0, -1, 1);
        assertEquals(1, shifted.data()[shifted.index(0, 2, 1)], "one left and one down");
        Planes half = RandomAffine.warp(dot, 0, 0.5, 0);
        assertEquals(0.5, half.data()[half.index(0, 1, 2)], 1e-6, "bilinear: half a pixel shift splits the value");
        assertEquals(0.5, sum(half), 1e-6, "and half goes off the edge, replaced by zero fill");
        Tensor img = counting(3, 6, 7);
        assertArrayEquals(img.toFloatArray(), new RandomAffine(0, 0).apply(img, new Rng(3)).toFloatArray());
    }

    @Test
    void affineShiftsStayWithinTheTranslateFraction() {
        Planes dot = Planes.zeros(1, 28, 28);
        dot.data()[dot.index(0, 14, 14)] = 1;
        Tensor img = dot.tensor();
        Rng rng = new Rng(11);
        boolean moved = false;
        for (int i = 0; i < 100; i++) {
            Tensor out = new RandomAffine(0, 0.1).apply(img, rng);
            long at = out.argmax().toLongArray()[0];
            int dy = (int) (at / 28) - 14;
            int dx = (int) (at % 28) - 14;
            assertTrue(Math.abs(dx) <= 3 && Math.abs(dy) <= 3, "shift " + dx + "," + dy + " beyond round(0.1 · 28) = 3");
            assertEquals(1, out.max().item(), "whole-pixel shifts keep the dot sharp");
            moved |= dx != 0 || dy != 0;
        }
        assertTrue(moved);
    }

    private static double sum(Planes p) {
        double s = 0;
        for (float f : p.data()) {
            s += f;
        }
        return s;
    }

    @Test
    void erasingFillsOneRectangleInEveryChannel() {
        Tensor img = Tensors.ones(3, 20, 30);
        Rng rng = new Rng(5);
        for (int i = 0; i < 50; i++) {
            Tensor out = new RandomErasing(1, 0.02, 0.33, 0.3, 3.3, 7).apply(img, rng);
            int minY = 99;
            int maxY = -1;
            int minX = 99;
            int maxX = -1;
            int count = 0;
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 30; x++) {
                    if (out.get(0, y, x) == 7) {
                        count++;
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                    }
                    assertEquals(out.get(0, y, x), out.get(2, y, x), "every channel erased alike");
                }
            }
            if (count == 0) {
                continue; // no fitting rectangle in 10 tries: allowed, rare
            }
            assertEquals((maxY - minY + 1) * (maxX - minX + 1), count, "the erased pixels form a rectangle");
            assertTrue(count >= 0.01 * 600 && count <= 0.45 * 600, "erased " + count + " of 600 pixels");
        }
        assertArrayEquals(img.toFloatArray(), new RandomErasing(0, 0.02, 0.33, 0.3, 3.3).apply(img, new Rng(0)).toFloatArray());
        assertEquals(new RandomErasing(0.5, 0.02, 0.33, 0.3, 3.3, 0), new RandomErasing());
    }

    @Test
    void gaussianNoiseHasTheRequestedSpread() {
        Tensor zeros = Tensors.zeros(3, 32, 32);
        Tensor out = new GaussianNoise(0.5).apply(zeros, new Rng(2));
        assertEquals(0, out.mean().item(), 0.03);
        assertEquals(0.5, out.std().item(), 0.02);
        assertArrayEquals(zeros.toFloatArray(), new GaussianNoise(0).apply(zeros, new Rng(2)).toFloatArray());
        assertEquals(0, zeros.abs().max().item());
    }

    @Test
    void resizeInterpolatesAsPyTorchBilinearWithoutAlignedCorners() {
        Tensor img = Tensors.of(new float[] {0, 1, 2, 3}, 1, 2, 2);
        Tensor big = new Resize(4, 4).apply(img, new Rng(0));
        assertArrayEquals(new float[] {
                0, 0.25f, 0.75f, 1,
                0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2, 2.25f, 2.75f, 3}, big.toFloatArray(), 1e-6f);
        Tensor back = new Resize(2, 2).apply(big, new Rng(0));
        assertArrayEquals(new float[] {0.375f, 1.125f, 1.875f, 2.625f}, back.toFloatArray(), 1e-6f);
        assertEquals(Shape.of(3, 5, 7), new Resize(5, 7).apply(Tensors.ones(3, 9, 2), new Rng(0)).shape());
    }

    @Test
    void composeAppliesInOrderAndTransformsRefuseNonImages() {
        Tensor img = counting(1, 1, 3);
        Transform t = new Normalize(new double[] {1}, new double[] {1}).andThen(new RandomHorizontalFlip(1));
        assertArrayEquals(new float[] {2, 1, 0}, t.apply(img, new Rng(0)).toFloatArray());
        Compose c = new Compose(new RandomHorizontalFlip(1), new Normalize(new double[] {1}, new double[] {2}));
        assertArrayEquals(new float[] {1, 0.5f, 0}, c.apply(img, new Rng(0)).toFloatArray());
        assertEquals(2, c.transforms().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomHorizontalFlip().apply(Tensors.zeros(28, 28), new Rng(0)));
        assertTrue(e.getMessage().contains("[C, H, W]") && e.getMessage().contains("[28, 28]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianNoise(1).apply(Tensors.zeros(Shape.of(1, 2, 2), DType.INT64), new Rng(0)));
        assertTrue(e.getMessage().contains("int64") || e.getMessage().contains("INT64"), e.getMessage());
    }

    @Test
    void augmentedBatchesAreBitIdenticalWithAnyWorkerCountAndChangeEachEpoch() {
        Rng rng = new Rng(21);
        TensorDataset base = new TensorDataset(Tensors.rand(rng, 50, 3, 12, 12), Tensors.randint(rng, 0, 10, 50));
        Transform augment = new Compose(new RandomCrop(12, 2), new RandomHorizontalFlip(), new RandomAffine(15, 0.1),
                new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25}), new RandomErasing(), new GaussianNoise(0.1));
        TransformedDataset data = new TransformedDataset(base, augment);
        List<float[]> reference = null;
        for (int workers : new int[] {0, 1, 4}) {
            DataLoader loader = new DataLoader(data, new LoaderConfig(16, true, false, workers, 2), new Rng(99));
            List<float[]> got = new java.util.ArrayList<>();
            for (int epoch = 0; epoch < 2; epoch++) {
                for (Batch b : loader) {
                    got.add(b.inputs().toFloatArray());
                    got.add(b.targets().to(DType.FLOAT32).toFloatArray());
                }
            }
            if (reference == null) {
                reference = got;
            } else {
                assertEquals(reference.size(), got.size());
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(reference.get(i), got.get(i), workers + " workers, array " + i);
                }
            }
        }
        DataLoader ordered = new DataLoader(data, new LoaderConfig(50, false), new Rng(1));
        BatchIterator e1 = ordered.iterator();
        float[] first = e1.next().inputs().toFloatArray();
        float[] second = ordered.iterator().next().inputs().toFloatArray();
        assertFalse(java.util.Arrays.equals(first, second), "a new epoch draws new augmentations");
        assertArrayEquals(data.get(3).input().toFloatArray(), data.get(3).input().toFloatArray(), "get(i) alone repeats itself");
    }
}
