package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float32 FMA-throughput loop: {@code acc_i = x * y + acc_i} on 12 independent vector chains for
 * {@code steps} steps, so it performs {@code steps * 12 * LANES} fused multiply-adds.
 *
 * <p>Twelve chains cover an FMA latency of up to 6 cycles on two pipes. The accumulator is the addend so
 * that C2 emits one in-place {@code vfmadd231ps} per step; with the accumulator as the multiplicand it
 * copies a register before every FMA and runs a third slower. {@code x * y} is tiny, so values stay finite. Loaded only when {@link Simd#ENABLED}; the scalar twin is
 * {@link FmaThroughputF32Scalar}.
 */
final class FmaThroughputF32 {
    private static final VectorSpecies<Float> S = MatmulTileF32.SPECIES;
    static final int CHAINS = 12;
    static final int LANES = S.length();

    private FmaThroughputF32() {}

    /** Runs the loop and returns the sum of the accumulators, so the work cannot be discarded. */
    static float run(long steps, float seed) {
        FloatVector x = FloatVector.broadcast(S, 1e-4f + seed * 1e-9f);
        FloatVector y = FloatVector.broadcast(S, 1e-4f);
        FloatVector a0 = FloatVector.broadcast(S, seed), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3);
        FloatVector a4 = a0.add(4), a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7);
        FloatVector a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        for (long i = 0; i < steps; i++) {
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
            a10 = x.fma(y, a10);
            a11 = x.fma(y, a11);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
