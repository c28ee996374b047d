package fathom.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Rng;
import fathom.Shape;
import fathom.data.Batch;
import fathom.data.DataLoader;
import fathom.data.Example;
import fathom.data.LoaderConfig;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Windows of a token stream: targets are inputs shifted by one, sizes and strides, a leak-free split, and batching. */
class TokenWindowDatasetTest {
    private static final int[] TOKENS = IntStream.range(0, 23).map(i -> 100 + i).toArray();

    @Test
    void targetsAreTheInputsShiftedByOne() {
        TokenWindowDataset d = new TokenWindowDataset(TOKENS, 5);
        assertEquals(4, d.size(), "23 tokens hold 4 windows of 5 with a next token each");
        Example e = d.get(3);
        assertArrayEquals(new long[] {115, 116, 117, 118, 119}, e.input().toLongArray());
        assertArrayEquals(new long[] {116, 117, 118, 119, 120}, e.target().toLongArray());
        assertEquals(Shape.of(5), e.input().shape());
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(4));
        TokenWindowDataset overlapping = new TokenWindowDataset(TOKENS, 5, 2);
        assertEquals(9, overlapping.size());
        assertArrayEquals(new long[] {104, 105, 106, 107, 108}, overlapping.get(2).input().toLongArray());
        assertEquals(0, new TokenWindowDataset(new int[5], 5).size(), "no token left for the last target");
        assertThrows(IllegalArgumentException.class, () -> new TokenWindowDataset(TOKENS, 0));
    }

    @Test
    void theSplitCutsTheStreamSoNoWindowCrossesIt() {
        TokenWindowDataset.Split s = TokenWindowDataset.split(TOKENS, 4, 0.3);
        // cut at round(23 · 0.7) = 16: training tokens 100..115, validation 116..122
        assertEquals(3, s.train().size());
        assertEquals(1, s.validation().size());
        long lastTrain = s.train().get(2).target().toLongArray()[3];
        assertTrue(lastTrain <= 115, "training never reads a validation token, got " + lastTrain);
        assertArrayEquals(new long[] {116, 117, 118, 119}, s.validation().get(0).input().toLongArray());
        assertThrows(IllegalArgumentException.class, () -> TokenWindowDataset.split(TOKENS, 4, 1.0));
    }

    @Test
    void batchesStackWindowsThroughTheLoader() throws Exception {
        TokenWindowDataset d = new TokenWindowDataset(TOKENS, 5, 3);
        Batch b = d.select(new int[] {2, 0}).orElseThrow();
        assertEquals(Shape.of(2, 5), b.inputs().shape());
        assertArrayEquals(d.get(2).target().toLongArray(), b.targets().select(0, 0).toLongArray());
        int seen = 0;
        for (Batch batch : new DataLoader(d, new LoaderConfig(4, true), new Rng(1))) {
            assertEquals(fathom.DType.INT64, batch.inputs().dtype());
            long[] in = batch.inputs().toLongArray();
            long[] out = batch.targets().toLongArray();
            for (int i = 0; i < in.length; i++) {
                assertEquals(in[i] + 1, out[i]);
            }
            seen += batch.size();
        }
        assertEquals(d.size(), seen);
    }
}
