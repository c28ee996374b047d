package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatmulKernelRateTest {
    /**
     * The micro-kernel is bound by the same FMA pipes as the FMA loop, so once compiled it reads within a small
     * factor of it: half the loop's rate in the busiest hour measured, the loop's in a quiet one, and about an
     * eighth for the scalar twin that runs while {@link KernelWarmup} waits for C2. A flop count that missed the
     * depth or the tile's size would land far outside, and so would a kernel still interpreted.
     */
    @Test
    void theKernelReadsWithinAFewTimesTheFmaLoop() {
        MatmulKernelRate.measureNow(1.0); // compiles the kernel
        MatmulKernelRate.Reading r = MatmulKernelRate.measureNow(0.5);
        assertTrue(r.kernelGflops() > 0 && r.fmaLoopGflops() > 0, r.toString());
        assertTrue(r.fraction() > 0.05 && r.fraction() < 1.6, "kernel over FMA loop " + r.fraction() + " in " + r);
    }
}
