package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backends;
import fathom.backend.ScalarBackend;
import fathom.backend.Storage;
import fathom.testing.Conformance;
import org.junit.jupiter.api.Test;

/**
 * Embedding lookups and their gradients take the whole-row path and agree with the reference, repeated rows included,
 * also when their results reuse finished arrays.
 */
class RowsF32Test {
    @Test
    void embeddingForwardAndBackwardAgreeWithTheReference() {
        Rng rng = new Rng(1);
        Tensor weight = Tensors.randn(rng, 500, 37);
        Tensor tokens = Tensors.randint(rng, 0, 500, 24, 25); // 600 lookups of 500 rows: repeats
        Tensor up = Tensors.randn(rng, 24, 25, 37);
        Tensor[] want = run(new ScalarBackend(), weight, tokens, up);
        // both results are large enough (16 Ki floats and up) to reuse finished arrays: hand NaN-filled ones to the allocator
        for (Tensor t : new Tensor[] {weight, up}) {
            Storage.recycle(Tensors.full(t.shape(), DType.FLOAT32, Double.NaN).storage());
        }
        Tensor[] got = run(new CpuBackend(), weight, tokens, up);
        for (int i = 0; i < 2; i++) {
            assertEquals(null, Conformance.differ(got[i], want[i], 1e-6));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> {
            try (var _ = Backends.use(new CpuBackend())) {
                Tensor.embedding(Tensors.of(new long[] {3, 500}), weight);
            }
        });
    }

    private static Tensor[] run(fathom.backend.Backend b, Tensor weight, Tensor tokens, Tensor up) {
        try (var _ = Backends.use(b)) {
            Tensor w = weight.detach().requiresGrad(true);
            Tensor y = Tensor.embedding(tokens, w);
            y.backward(up);
            return new Tensor[] {y.detach(), w.grad()};
        }
    }
}
