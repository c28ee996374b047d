package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 matmul micro-kernel: {@code C[0:6, 0:NR] (+)= Apanel · Bpanel} over {@code kc} steps,
 * with {@code NR} two vectors wide (16 floats at 256 bits).
 *
 * <p>The A panel holds {@code kc} columns of 6 floats, the B panel {@code kc} rows of {@code NR} floats,
 * both packed contiguously by {@link MatmulPackF32}. Twelve vector accumulators, two B vectors and one
 * broadcast A value fill the 16 vector registers of a 256-bit machine without spilling; per step that is
 * 12 independent FMAs, enough to cover the FMA latency on two pipes. Loaded only when {@link Simd#ENABLED}.
 * The scalar twin is {@link MatmulTileF32Scalar}.
 */
final class MatmulTileF32 {
    static final VectorSpecies<Float> SPECIES = VectorSpecies.of(float.class, VectorShape.forBitSize(Simd.BITS));
    static final int LANES = SPECIES.length();
    static final int MR = 6;
    static final int NR = 2 * LANES;

    private MatmulTileF32() {}

    /**
     * {@code c[cOff + r*ldc + j] = (add ? c[..] : 0) + sum_p ap[aOff + p*6 + r] * bp[bOff + p*NR + j]}
     * for the full 6 x NR tile.
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean add) {
        VectorSpecies<Float> s = SPECIES;
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s);
        FloatVector c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s);
        FloatVector c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s);
        FloatVector c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
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
            a = FloatVector.broadcast(s, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(s, ap[ao + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        store(c00, c01, c, cOff, add);
        store(c10, c11, c, cOff + ldc, add);
        store(c20, c21, c, cOff + 2 * ldc, add);
        store(c30, c31, c, cOff + 3 * ldc, add);
        store(c40, c41, c, cOff + 4 * ldc, add);
        store(c50, c51, c, cOff + 5 * ldc, add);
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int at, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(SPECIES, c, at));
            v1 = v1.add(FloatVector.fromArray(SPECIES, c, at + LANES));
        }
        v0.intoArray(c, at);
        v1.intoArray(c, at + LANES);
    }
}
