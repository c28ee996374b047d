package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class KernelWarmupTest {
    /**
     * The warm-up switches the matmul to its vector kernels once a round of them allocates nothing. A round that
     * allocated anything itself (once, an array of tile heights made per round) never got there, and training kept
     * the scalar micro-kernel for good.
     */
    @Test
    void theVectorKernelsAreSwitchedOnWithinTheBudget() {
        assumeTrue(Simd.ENABLED, "vectors off");
        try {
            assertTrue(KernelWarmup.run(), "the warm-up gave up on the vector matmul kernels");
        } finally {
            MatmulF32.vectorTileCompiled();
            MatmulF32.vectorPackingCompiled();
        }
    }
}
