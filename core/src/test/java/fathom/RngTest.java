package fathom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RngTest {
    @Test
    void aSeedFixesTheStream() {
        assertArrayEquals(Tensors.randn(new Rng(42), 100).toFloatArray(), Tensors.randn(new Rng(42), 100).toFloatArray());
        assertNotEquals(Tensors.randn(new Rng(42), 1).item(), Tensors.randn(new Rng(43), 1).item());
    }

    @Test
    void splitStreamsAreIndependentOfHowMuchTheParentDraws() {
        Rng a = new Rng(7);
        Rng childA = a.split();
        Rng b = new Rng(7);
        Rng childB = b.split();
        b.nextLong();
        assertEquals(childA.nextLong(), childB.nextLong());
        assertNotEquals(childA.nextLong(), a.nextLong());
    }

    @Test
    void stateRestoresExactly() {
        Rng r = new Rng(5);
        r.nextDouble();
        Rng copy = Rng.restore(r.state());
        assertEquals(r.nextLong(), copy.nextLong());
    }

    @Test
    void distributionsHaveTheRightMoments() {
        float[] n = Tensors.randn(new Rng(1), 200_000).toFloatArray();
        double mean = 0;
        double sq = 0;
        for (float v : n) {
            mean += v;
            sq += v * v;
        }
        mean /= n.length;
        assertEquals(0, mean, 0.01);
        assertEquals(1, sq / n.length - mean * mean, 0.01);
        assertEquals(0.5, Tensors.rand(new Rng(2), 100_000).mean().item(), 0.01);
        long[] p = Tensors.randperm(new Rng(3), 50).toLongArray();
        Arrays.sort(p);
        assertArrayEquals(Tensors.arange(50).toLongArray(), p);
        long[] k = Tensors.randint(new Rng(4), 2, 5, 1000).toLongArray();
        assertEquals(2, Arrays.stream(k).min().getAsLong());
        assertEquals(4, Arrays.stream(k).max().getAsLong());
        assertEquals(0.3, Tensors.full(Shape.of(100_000), DType.FLOAT32, 0.3).bernoulli(new Rng(5)).mean().item(), 0.01);
    }
}
