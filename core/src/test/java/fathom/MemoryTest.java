package fathom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Nobody frees tensors by hand: a long training-like loop must not grow the heap. */
class MemoryTest {
    @Test
    void tenThousandTrainingStepsDoNotGrowTheHeap() {
        Rng rng = new Rng(0);
        Tensor w1 = Tensors.randn(rng, 16, 32).mul(0.1).requiresGrad(true);
        Tensor w2 = Tensors.randn(rng, 32, 4).mul(0.1).requiresGrad(true);
        Tensor x = Tensors.randn(rng, 8, 16);
        Tensor y = Tensors.randint(rng, 0, 4, 8);
        long afterWarmup = 0;
        for (int step = 1; step <= 10_000; step++) {
            Tensor logits = x.matmul(w1).relu().matmul(w2);
            Tensor loss = logits.logSoftmax(1).gather(1, y.unsqueeze(1)).neg().mean();
            loss.backward();
            try (var _ = Autograd.noGrad()) {
                w1.subInPlace(w1.grad().mul(0.01));
                w2.subInPlace(w2.grad().mul(0.01));
            }
            w1.zeroGrad();
            w2.zeroGrad();
            if (step == 1_000) {
                afterWarmup = usedHeap();
            }
        }
        long end = usedHeap();
        assertTrue(end - afterWarmup < 8 << 20, "heap grew from " + afterWarmup + " to " + end + " bytes over 9,000 steps");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
