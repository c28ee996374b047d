package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs matmul operand blocks into micro-kernel panels with vector copies: the same layout as
 * {@link MatmulPackF32Scalar} (its scalar twin), which this class falls back to for edge panels and
 * for layouts without a contiguous direction to copy along.
 *
 * <p>Three layouts get vector paths, each measured on one thread of a Zen 3 core (thread CPU time, a
 * [128 x 256] A block and a [256 x 512] B block; the machine was shared, so about ±10%):
 * <ul>
 *   <li>B with contiguous rows ({@code cs == 1}, the {@code dY·W} of a backward pass): two vector
 *       loads and stores per panel row instead of a 16-float {@code System.arraycopy}: 0.35 to 0.14
 *       ns per element;
 *   <li>B with contiguous columns ({@code rs == 1}, the {@code X·Wᵀ} of every Linear forward): eight
 *       rows of {@code Wᵀ}'s storage are transposed 8x8 in registers (three rounds of two-vector
 *       rearranges) instead of written one float at a time with a 64-byte stride: 1.0 to 0.37 ns;
 *   <li>A with contiguous columns ({@code rs == 1}, the {@code Xᵀ·dY} of a weight gradient): each
 *       4-float column of a panel is one 128-bit copy: 1.6 to 0.4 ns.
 * </ul>
 * A with contiguous rows stays scalar (0.2 ns per element, one element per cycle): its 4-row
 * interleave saves less than the shuffles cost. Loaded only when {@link Simd#ENABLED}.
 */
final class MatmulPackF32 {
    private static final VectorSpecies<Float> S = MatmulTileF32.SPECIES;
    private static final int L = MatmulTileF32.LANES;
    private static final int NR = MatmulTileF32.NR;
    private static final int MR = MatmulTileF32.MR;
    /** One column of an A panel: {@code MR} = 4 floats. */
    private static final VectorSpecies<Float> COLUMN = FloatVector.SPECIES_128;
    private static final boolean TRANSPOSE = L == 8;
    // Two-vector shuffles for an 8x8 transpose: an index i < 8 takes lane i of the first vector, a
    // negative one takes lane i + 8 of the second (the Vector API's "exceptional" index convention).
    private static final VectorShuffle<Float> ZIP_LO = VectorShuffle.fromValues(S, pad(0, -8, 1, -7, 2, -6, 3, -5));
    private static final VectorShuffle<Float> ZIP_HI = VectorShuffle.fromValues(S, pad(4, -4, 5, -3, 6, -2, 7, -1));
    private static final VectorShuffle<Float> PAIR_LO = VectorShuffle.fromValues(S, pad(0, 1, -8, -7, 2, 3, -6, -5));
    private static final VectorShuffle<Float> PAIR_HI = VectorShuffle.fromValues(S, pad(4, 5, -4, -3, 6, 7, -2, -1));
    private static final VectorShuffle<Float> HALF_LO = VectorShuffle.fromValues(S, pad(0, 1, 2, 3, -8, -7, -6, -5));
    private static final VectorShuffle<Float> HALF_HI = VectorShuffle.fromValues(S, pad(4, 5, 6, 7, -4, -3, -2, -1));

    private MatmulPackF32() {}

    /** The shuffle indexes for an 8-lane species, or identity ones when the species is narrower (then unused). */
    private static int[] pad(int... eight) {
        int[] idx = new int[L];
        for (int i = 0; i < L; i++) {
            idx[i] = L == 8 ? eight[i] : i;
        }
        return idx;
    }

    /** As {@link MatmulPackF32Scalar#packA} with {@code mr = MR}. */
    static void packA(int mc, int kc, float[] a, int at, int rs, int cs, float[] dst, int dOff) {
        if (rs != 1 || Simd.BITS < 128) {
            MatmulPackF32Scalar.packA(mc, kc, a, at, rs, cs, dst, dOff, MR);
            return;
        }
        int d = dOff;
        for (int r0 = 0; r0 < mc; r0 += MR, d += MR * kc) {
            if (mc - r0 < MR) {
                MatmulPackF32Scalar.panelA(mc - r0, kc, a, at + r0, 1, cs, dst, d, MR);
                continue;
            }
            for (int p = 0, src = at + r0, o = d; p < kc; p++, src += cs, o += MR) {
                FloatVector.fromArray(COLUMN, a, src).intoArray(dst, o);
            }
        }
    }

    /** As {@link MatmulPackF32Scalar#packB} with {@code nr = NR}. */
    static void packB(int kc, int nc, float[] b, int at, int rs, int cs, float[] dst, int dOff) {
        boolean rows = cs == 1;
        if (!rows && !(rs == 1 && TRANSPOSE)) {
            MatmulPackF32Scalar.packB(kc, nc, b, at, rs, cs, dst, dOff, NR);
            return;
        }
        int d = dOff;
        for (int j0 = 0; j0 < nc; j0 += NR, d += NR * kc) {
            int base = at + j0 * cs;
            if (nc - j0 < NR) {
                MatmulPackF32Scalar.panelB(kc, nc - j0, b, base, rs, cs, dst, d, NR);
            } else if (rows) {
                for (int p = 0, src = base, o = d; p < kc; p++, src += rs, o += NR) {
                    FloatVector.fromArray(S, b, src).intoArray(dst, o);
                    FloatVector.fromArray(S, b, src + L).intoArray(dst, o + L);
                }
            } else {
                transposedPanel(kc, b, base, cs, dst, d);
            }
        }
    }

    /** A full B panel from storage where {@code B[p, j] = b[base + j*cs + p]}: 8x8 blocks transposed in registers. */
    private static void transposedPanel(int kc, float[] b, int base, int cs, float[] dst, int d) {
        int kv = kc & ~7;
        for (int h = 0; h < NR; h += 8) {
            int row = base + h * cs;
            for (int p = 0; p < kv; p += 8) {
                int s0 = row + p;
                FloatVector r0 = FloatVector.fromArray(S, b, s0);
                FloatVector r1 = FloatVector.fromArray(S, b, s0 + cs);
                FloatVector r2 = FloatVector.fromArray(S, b, s0 + 2 * cs);
                FloatVector r3 = FloatVector.fromArray(S, b, s0 + 3 * cs);
                FloatVector r4 = FloatVector.fromArray(S, b, s0 + 4 * cs);
                FloatVector r5 = FloatVector.fromArray(S, b, s0 + 5 * cs);
                FloatVector r6 = FloatVector.fromArray(S, b, s0 + 6 * cs);
                FloatVector r7 = FloatVector.fromArray(S, b, s0 + 7 * cs);
                FloatVector t0 = r0.rearrange(ZIP_LO, r1), t1 = r0.rearrange(ZIP_HI, r1);
                FloatVector t2 = r2.rearrange(ZIP_LO, r3), t3 = r2.rearrange(ZIP_HI, r3);
                FloatVector t4 = r4.rearrange(ZIP_LO, r5), t5 = r4.rearrange(ZIP_HI, r5);
                FloatVector t6 = r6.rearrange(ZIP_LO, r7), t7 = r6.rearrange(ZIP_HI, r7);
                FloatVector u0 = t0.rearrange(PAIR_LO, t2), u1 = t0.rearrange(PAIR_HI, t2);
                FloatVector u2 = t1.rearrange(PAIR_LO, t3), u3 = t1.rearrange(PAIR_HI, t3);
                FloatVector u4 = t4.rearrange(PAIR_LO, t6), u5 = t4.rearrange(PAIR_HI, t6);
                FloatVector u6 = t5.rearrange(PAIR_LO, t7), u7 = t5.rearrange(PAIR_HI, t7);
                int o = d + p * NR + h;
                u0.rearrange(HALF_LO, u4).intoArray(dst, o);
                u0.rearrange(HALF_HI, u4).intoArray(dst, o + NR);
                u1.rearrange(HALF_LO, u5).intoArray(dst, o + 2 * NR);
                u1.rearrange(HALF_HI, u5).intoArray(dst, o + 3 * NR);
                u2.rearrange(HALF_LO, u6).intoArray(dst, o + 4 * NR);
                u2.rearrange(HALF_HI, u6).intoArray(dst, o + 5 * NR);
                u3.rearrange(HALF_LO, u7).intoArray(dst, o + 6 * NR);
                u3.rearrange(HALF_HI, u7).intoArray(dst, o + 7 * NR);
            }
            for (int j = 0; j < 8; j++) {
                int src = row + j * cs;
                for (int p = kv, o = d + kv * NR + h + j; p < kc; p++, o += NR) {
                    dst[o] = b[src + p];
                }
            }
        }
    }
}
