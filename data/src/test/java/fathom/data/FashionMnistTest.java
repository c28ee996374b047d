package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fathom.DType;
import fathom.Shape;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FashionMnistTest {
    @Test
    void theShippedSampleHasItsCountsRangeAndBalancedClasses() throws IOException {
        for (boolean train : new boolean[] {true, false}) {
            ByteImageDataset data = FashionMnist.loadSample(train);
            int n = train ? FashionMnist.SAMPLE_TRAIN : FashionMnist.SAMPLE_TEST;
            assertEquals(train ? 6000 : 1000, n);
            assertEquals(n, data.size());
            assertEquals(Shape.of(n, 1, 28, 28), data.inputs().shape());
            assertEquals(DType.FLOAT32, data.inputs().dtype());
            assertEquals(Shape.of(n), data.targets().shape());
            assertEquals(DType.INT64, data.targets().dtype());
            assertEquals(0.0, data.inputs().min().item());
            assertEquals(1.0, data.inputs().max().item(), "pixel 255 scales to exactly 1");
            double mean = data.inputs().mean().item();
            assertTrue(mean > 0.25 && mean < 0.33, "Fashion-MNIST's mean pixel is about 0.286, got " + mean);
            int[] histogram = new int[FashionMnist.CLASSES.size()];
            for (long y : data.targets().toLongArray()) {
                histogram[(int) y]++;
            }
            for (int c = 0; c < histogram.length; c++) {
                // the full set is exactly balanced; a prefix stays within ±25% of n / 10
                assertTrue(Math.abs(histogram[c] - n / 10.0) < n / 40.0,
                        "class " + FashionMnist.CLASSES.get(c) + " has " + histogram[c] + " of " + n + " samples");
            }
        }
    }

    @Test
    void theSampleIsThePrefixOfTheInstalledSet() throws IOException {
        assumeTrue(FashionMnist.installed(), "Debian's dataset-fashion-mnist is not installed");
        ByteImageDataset full = FashionMnist.load(false);
        assertEquals(10_000, full.size());
        ByteImageDataset sample = FashionMnist.loadSample(false);
        assertArrayEquals(full.inputs().narrow(0, 0, 1000).toFloatArray(), sample.inputs().toFloatArray());
        assertArrayEquals(full.targets().narrow(0, 0, 1000).toLongArray(), sample.targets().toLongArray());
        assertEquals(10, FashionMnist.CLASSES.size());
    }
}
