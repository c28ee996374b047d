package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 matmul micro-kernel: {@code C[0:4, 0:NR] += Apanel · Bpanel} over {@code kc} steps, with
 * {@code NR} two vectors wide (16 floats at 256 bits).
 *
 * <p>The A panel holds {@code kc} columns of 4 floats, the B panel {@code kc} rows of {@code NR} floats,
 * both packed contiguously by {@link MatmulPackF32}. Eight vector accumulators cover the FMA latency of two
 * pipes. The tile is 4 rows rather than the 6 of hand-written AVX2 kernels because C2 schedules all the
 * row broadcasts of one step early: with 6 rows the 12 accumulators, 2 B vectors and 6 broadcasts exceed
 * the 16 vector registers, an accumulator spills, and the spill's store/reload lands on a dependency
 * chain; 8 + 2 + 4 fits. The first k slice of a fresh product
 * stores its tile over C, later slices add to it: the branch sits after the loop, and it saves the
 * pass that cleared C beforehand and one load of every C element (3 to 8% on one thread when k is 32
 * to 128, the depth of an LSTM or MLP weight gradient and of GPT's small projections). Loaded only when
 * {@link Simd#ENABLED}; the scalar twin is {@link MatmulTileF32Scalar}.
 */
final class MatmulTileF32 {
    static final VectorSpecies<Float> SPECIES = VectorSpecies.of(float.class, VectorShape.forBitSize(Simd.BITS));
    static final int LANES = SPECIES.length();
    static final int MR = 4;
    static final int NR = 2 * LANES;

    private MatmulTileF32() {}

    /**
     * {@code c[cOff + r*ldc + j] (+)= sum_p ap[aOff + p*4 + r] * bp[bOff + p*NR + j]} for the full 4 x NR
     * tile: added to C, or stored over it when {@code overwrite} (the first k slice of a fresh product).
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean overwrite) {
        VectorSpecies<Float> s = SPECIES;
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s);
        FloatVector c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s);
        FloatVector c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * NR;
            int ao = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(s, bp, bo);
            FloatVector b1 = FloatVector.fromArray(s, bp, bo + LANES);
            FloatVector a = FloatVector.broadcast(s, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(s, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(s, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(s, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        if (overwrite) {
            store(c00, c01, c, cOff);
            store(c10, c11, c, cOff + ldc);
            store(c20, c21, c, cOff + 2 * ldc);
            store(c30, c31, c, cOff + 3 * ldc);
        } else {
            addInto(c00, c01, c, cOff);
            addInto(c10, c11, c, cOff + ldc);
            addInto(c20, c21, c, cOff + 2 * ldc);
            addInto(c30, c31, c, cOff + 3 * ldc);
        }
    }

    private static void addInto(FloatVector v0, FloatVector v1, float[] c, int at) {
        v0.add(FloatVector.fromArray(SPECIES, c, at)).intoArray(c, at);
        v1.add(FloatVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int at) {
        v0.intoArray(c, at);
        v1.intoArray(c, at + LANES);
    }
}
