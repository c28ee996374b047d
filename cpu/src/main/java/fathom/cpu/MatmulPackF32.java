package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs matmul operand blocks into micro-kernel panels with vector copies: the same layout as
 * {@link MatmulPackF32Scalar} (its scalar twin), which this class falls back to for edge panels and
 * for layouts without a contiguous direction to copy along.
 *
 * <p>Three layouts get vector paths, each measured on one thread of a Zen 3 core (thread CPU time, a
 * [128 x 256] A block and a [256 x 512] B block; the machine was shared and its load changed between
 * runs, so compare figures of one line only):
 * <ul>
 *   <li>B with contiguous rows ({@code cs == 1}, the {@code dY·W} of a backward pass): two vector
 *       loads and stores per panel row instead of a 16-float {@code System.arraycopy}: 0.35 to 0.14
 *       ns per element;
 *   <li>B with contiguous columns ({@code rs == 1}, the {@code X·Wᵀ} of every Linear forward): eight
 *       rows of {@code Wᵀ}'s storage are transposed 8x8 in registers (three rounds of permutes and
 *       blends) instead of written one float at a time with a 64-byte stride: 1.0-1.6 ns to 0.32-0.38
 *       (to 0.5-0.6 with the same rounds written as two-vector rearranges);
 *   <li>A with contiguous columns ({@code rs == 1}, the {@code Xᵀ·dY} of a weight gradient): each
 *       4-float column of a panel is one copy, eight columns of every panel at a time: 0.7 to 1.4 ns
 *       down to 0.23-0.28, for leading dimensions of 128, 512 and 784. The copy is a 4-element
 *       {@code System.arraycopy}, not a 128-bit vector: in 3 of 4 JVM runs of the GPT benchmark, C2
 *       compiled the vector copy without its intrinsic ("missing constant" for the vector class), so
 *       every copy in steady state ran the Vector API's Java fallback and allocated its vectors, 77 MB
 *       per training step (250 MB instead of 173); with the arraycopy, 11 of 11 runs allocated 173 MB,
 *       and weight-gradient products ran at the same speed within the noise of the VM. (Measured again
 *       later: 248.9 MB per step in 3 of 3 runs.) With 256-bit vectors or wider, two panels take two columns
 *       at a time in 8-lane vectors (a permute and a blend per half): a [128, 256] slice in 7 µs
 *       against 18 µs of 4-float copies, and 171.9 MB per GPT step in 3 of 3 runs; the copies remain for
 *       an odd last panel and the last {@code kc % 8} columns.
 *   <li>A with contiguous rows ({@code cs == 1}, the {@code X·Wᵀ} of every Linear forward and the state of
 *       every recurrent step): four rows of four columns transposed 4x4 in 128-bit registers: 0.9-1.3 ns
 *       down to 0.26-0.32 for [32, 256], [30, 255] and [128, 256] blocks with leading dimensions 256 and
 *       784 (2.3% of a one-thread char-LSTM step and 4.6% of a GPT step were the scalar loop).
 *   <li>six-row A panels ({@link MatmulTileF32#MR} = 6, 8-lane species): rows are transposed six at a time in 8x8
 *       rounds, columns loaded eight floats at a time, each panel column stored as a whole vector
 *       ({@link #sixRowVectorColumns} says why no store leaves its panel). Contiguous rows go through
 *       {@link #transposeSixRows}, a loop over a panel's columns rather than a call per 8x8 block: C2 then
 *       keeps the shuffle and mask constants out of the loop and drops the range checks, 86 instructions per
 *       48 floats instead of about 150, and a [2048, 128] A packs in 0.35-0.37 ns per float instead of
 *       0.46-0.48 (one thread, in cache); the GPT training step read 1.03x and 1.01x of the medians with it
 *       (switched every 5 steps in one JVM, 16 rounds each). Contiguous columns keep the eight source rows'
 *       offsets in registers across the panels: 50 instructions per 48 floats instead of 79, and a [128, 2048]
 *       column-major A in 0.28-0.31 ns per float instead of 0.45 (a [384, 2048] one, bound by memory, is unchanged).
 * </ul>
 * Loaded only when {@link Simd#ENABLED}.
 */
final class MatmulPackF32 {
    private static final VectorSpecies<Float> S = MatmulTileF32.SPECIES;
    private static final int L = MatmulTileF32.LANES;
    private static final int NR = MatmulTileF32.NR;
    private static final int MR = MatmulTileF32.MR;
    /** One column of a four-row A panel: 4 floats. */
    private static final VectorSpecies<Float> COLUMN = FloatVector.SPECIES_128;
    /**
     * The species of the 8x8 transposes and of the six-row panels: 8 lanes (256 bits) at any kernel width, since
     * an 8x8 block of floats is eight 256-bit rows. At 512 bits the kernels' own species has 16 lanes, and
     * every transposing path (the {@code X·Wᵀ} of each Linear forward, a weight gradient's {@code Xᵀ}, attention's
     * head transposes, the batch convolution's image blocks) had fallen back to scalar copies.
     */
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    /** Whether {@link #transposeEightRows} runs: the kernels use 256-bit vectors or wider. */
    static final boolean TRANSPOSE = Simd.BITS >= 256;
    // An 8x8 transpose in three rounds that swap the off-diagonal 1x1, 2x2 and 4x4 blocks of each pair of
    // rows: each swap is a one-vector permute of either row and a blend with a constant mask. Measured
    // 1.45-1.6x faster than the same rounds written as two-vector rearranges (which C2 turns into two
    // permutes and a blend each, and then spills their index vectors).
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromValues(EIGHT, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromValues(EIGHT, 2, 3, 0, 1, 6, 7, 4, 5);
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromValues(EIGHT, 4, 5, 6, 7, 0, 1, 2, 3);
    private static final VectorMask<Float> ODD1 = VectorMask.fromLong(EIGHT, 0b10101010);
    private static final VectorMask<Float> ODD2 = VectorMask.fromLong(EIGHT, 0b11001100);
    private static final VectorMask<Float> HIGH4 = VectorMask.fromLong(EIGHT, 0b11110000);
    // The same swaps for the 4x4 transposes of a row-major A, in 128-bit vectors (one A panel column each).
    private static final VectorShuffle<Float> COLUMN_SWAP1 = VectorShuffle.fromValues(COLUMN, 1, 0, 3, 2);
    private static final VectorShuffle<Float> COLUMN_SWAP2 = VectorShuffle.fromValues(COLUMN, 2, 3, 0, 1);
    private static final VectorMask<Float> COLUMN_ODD1 = VectorMask.fromValues(COLUMN, false, true, false, true);
    private static final VectorMask<Float> COLUMN_HIGH2 = VectorMask.fromValues(COLUMN, false, false, true, true);

    private MatmulPackF32() {}

    /** As {@link MatmulPackF32Scalar#packA} with {@code mr = MR}. */
    static void packA(int mc, int kc, float[] a, int at, int rs, int cs, float[] dst, int dOff) {
        boolean fourRows = MR == 4 && Simd.BITS >= 128;
        if (MR == 8 && rs == 1) {
            packColumnMajorA8(mc, kc, a, at, cs, dst, dOff);
        } else if (MR == 6 && rs == 1) {
            packColumnMajorA6(mc, kc, a, at, cs, dst, dOff);
        } else if ((MR == 6 || MR == 8) && cs == 1) {
            packRowMajorATall(MR, mc, kc, a, at, rs, dst, dOff);
        } else if (fourRows && rs == 1) {
            packColumnMajorA(mc, kc, a, at, cs, dst, dOff);
        } else if (fourRows && cs == 1) {
            packRowMajorA(mc, kc, a, at, rs, dst, dOff);
        } else {
            MatmulPackF32Scalar.packA(mc, kc, a, at, rs, cs, dst, dOff, MR);
        }
    }

    /**
     * The columns of a six-row panel that the vector loops below store whole: all but the last one to eight,
     * and a multiple of eight. They store each 6-float panel column as an 8-lane vector whose last two lanes
     * spill onto the next column, which a later store (theirs or the scalar tail's) overwrites; since the
     * panel's last column is always left to the tail, no store reaches past the panel, and threads packing
     * neighbouring panels of one shared buffer never touch each other's floats.
     */
    private static int sixRowVectorColumns(int kc) {
        return Math.max(0, (kc - 1) & ~7);
    }

    /**
     * A with contiguous rows, in six- or eight-row panels ({@code mr}): each eight columns of a panel are transposed in
     * registers, as the top six rows of an 8x8 block ({@link #transposeSixRows}, each column stored whole, see
     * {@link #sixRowVectorColumns}) or as a whole one ({@link #transposeEightRows}, whose output rows are the panel's
     * columns); the last columns are copied one float at a time.
     */
    private static void packRowMajorATall(int mr, int mc, int kc, float[] a, int at, int rs, float[] dst, int dOff) {
        int full = mc / mr * mr;
        int kv = mr == 8 ? kc & ~7 : sixRowVectorColumns(kc);
        for (int r0 = 0, d = dOff; r0 < full; r0 += mr, d += mr * kc) {
            int s0 = at + r0 * rs;
            if (mr == 8) {
                transposeEightRows(a, s0, rs, kv, dst, d, 8);
            } else {
                transposeSixRows(kv, a, s0, rs, dst, d);
            }
            for (int r = 0; r < mr; r++) {
                for (int p = kv, o = d + kv * mr + r; p < kc; p++, o += mr) {
                    dst[o] = a[s0 + r * rs + p];
                }
            }
        }
        if (full < mc) {
            int height = MatmulPackF32Scalar.panelHeight(mc - full, mr);
            MatmulPackF32Scalar.panelA(mc - full, kc, a, at + full * rs, rs, 1, dst, dOff + full * kc, height);
        }
    }

    /**
     * A with contiguous columns, in six-row panels (the 8-lane species only): eight floats of a column, loaded as
     * one vector, make one panel column ({@link #sixRowVectorColumns}), for every panel whose eight rows lie
     * inside the block; the rest are 6-float copies. Eight columns of every panel at a time, as in
     * {@link #packColumnMajorA}.
     */
    private static void packColumnMajorA6(int mc, int kc, float[] a, int at, int cs, float[] dst, int dOff) {
        int full = mc / 6 * 6;
        int kb = sixRowVectorColumns(kc);
        // Panels whose eight rows lie inside the block, eight columns of each at a time; the eight source
        // rows' offsets stay in registers, and each load is a fixed step from one of them, so that C2
        // removes the loads' range checks from the loop (the stores keep two).
        int panels = mc >= 8 ? (mc - 8) / 6 + 1 : 0;
        for (int p0 = 0; p0 < kb; p0 += 8) {
            int q0 = at + p0 * cs, q1 = q0 + cs, q2 = q1 + cs, q3 = q2 + cs, q4 = q3 + cs, q5 = q4 + cs, q6 = q5 + cs, q7 = q6 + cs;
            for (int i = 0, o = dOff + p0 * 6; i < panels; i++, o += 6 * kc) {
                int r = 6 * i;
                FloatVector.fromArray(EIGHT, a, q0 + r).intoArray(dst, o);
                FloatVector.fromArray(EIGHT, a, q1 + r).intoArray(dst, o + 6);
                FloatVector.fromArray(EIGHT, a, q2 + r).intoArray(dst, o + 12);
                FloatVector.fromArray(EIGHT, a, q3 + r).intoArray(dst, o + 18);
                FloatVector.fromArray(EIGHT, a, q4 + r).intoArray(dst, o + 24);
                FloatVector.fromArray(EIGHT, a, q5 + r).intoArray(dst, o + 30);
                FloatVector.fromArray(EIGHT, a, q6 + r).intoArray(dst, o + 36);
                FloatVector.fromArray(EIGHT, a, q7 + r).intoArray(dst, o + 42);
            }
            for (int r0 = panels * 6, o = dOff + p0 * 6 + panels * 6 * kc; r0 < full; r0 += 6, o += 6 * kc) {
                for (int q = 0, src = q0 + r0; q < 8; q++, src += cs) {
                    System.arraycopy(a, src, dst, o + q * 6, 6);
                }
            }
        }
        packColumnMajorRest(6, kb, mc, kc, a, at, cs, dst, dOff);
    }

    /**
     * A with contiguous columns, in eight-row panels (16-lane species): each panel column is eight contiguous floats,
     * one 8-float {@code System.arraycopy}; eight columns of every panel at a time, as in {@link #packColumnMajorA}.
     * Not an 8-lane vector copy: C2 compiled that one without its intrinsics (as {@link #packColumnMajorA}'s 4-float
     * copies once were), and a [384, 2048]ᵀ·[2048, 128] product then allocated 4.7 MB of vectors per call.
     */
    private static void packColumnMajorA8(int mc, int kc, float[] a, int at, int cs, float[] dst, int dOff) {
        int full = mc / 8 * 8;
        int kb = kc & ~7;
        for (int p0 = 0; p0 < kb; p0 += 8) {
            int q0 = at + p0 * cs, q1 = q0 + cs, q2 = q1 + cs, q3 = q2 + cs, q4 = q3 + cs, q5 = q4 + cs, q6 = q5 + cs, q7 = q6 + cs;
            for (int r0 = 0, o = dOff + p0 * 8; r0 < full; r0 += 8, o += 8 * kc) {
                System.arraycopy(a, q0 + r0, dst, o, 8);
                System.arraycopy(a, q1 + r0, dst, o + 8, 8);
                System.arraycopy(a, q2 + r0, dst, o + 16, 8);
                System.arraycopy(a, q3 + r0, dst, o + 24, 8);
                System.arraycopy(a, q4 + r0, dst, o + 32, 8);
                System.arraycopy(a, q5 + r0, dst, o + 40, 8);
                System.arraycopy(a, q6 + r0, dst, o + 48, 8);
                System.arraycopy(a, q7 + r0, dst, o + 56, 8);
            }
        }
        packColumnMajorRest(8, kb, mc, kc, a, at, cs, dst, dOff);
    }

    /**
     * A with contiguous rows (the X of every {@code X·Wᵀ}, a recurrent state): four rows of four columns
     * are loaded as four 128-bit vectors, transposed in registers, and stored as four panel columns.
     */
    private static void packRowMajorA(int mc, int kc, float[] a, int at, int rs, float[] dst, int dOff) {
        int full = mc / MR * MR;
        int kv = kc & ~3;
        for (int r0 = 0, d = dOff; r0 < full; r0 += MR, d += MR * kc) {
            int s0 = at + r0 * rs;
            for (int p = 0; p < kv; p += 4) {
                FloatVector x0 = FloatVector.fromArray(COLUMN, a, s0 + p);
                FloatVector x1 = FloatVector.fromArray(COLUMN, a, s0 + rs + p);
                FloatVector x2 = FloatVector.fromArray(COLUMN, a, s0 + 2 * rs + p);
                FloatVector x3 = FloatVector.fromArray(COLUMN, a, s0 + 3 * rs + p);
                FloatVector y0 = x0.blend(x1.rearrange(COLUMN_SWAP1), COLUMN_ODD1);
                FloatVector y1 = x0.rearrange(COLUMN_SWAP1).blend(x1, COLUMN_ODD1);
                FloatVector y2 = x2.blend(x3.rearrange(COLUMN_SWAP1), COLUMN_ODD1);
                FloatVector y3 = x2.rearrange(COLUMN_SWAP1).blend(x3, COLUMN_ODD1);
                int o = d + p * MR;
                y0.blend(y2.rearrange(COLUMN_SWAP2), COLUMN_HIGH2).intoArray(dst, o);
                y1.blend(y3.rearrange(COLUMN_SWAP2), COLUMN_HIGH2).intoArray(dst, o + MR);
                y0.rearrange(COLUMN_SWAP2).blend(y2, COLUMN_HIGH2).intoArray(dst, o + 2 * MR);
                y1.rearrange(COLUMN_SWAP2).blend(y3, COLUMN_HIGH2).intoArray(dst, o + 3 * MR);
            }
            for (int r = 0; r < MR; r++) {
                for (int p = kv, o = d + kv * MR + r; p < kc; p++, o += MR) {
                    dst[o] = a[s0 + r * rs + p];
                }
            }
        }
        if (full < mc) {
            MatmulPackF32Scalar.panelA(mc - full, kc, a, at + full * rs, rs, 1, dst, dOff + full * kc, MR);
        }
    }

    /** A with contiguous columns ({@code Xᵀ·dY} of a weight gradient): each 4-float panel column is one 4-element copy. */
    private static void packColumnMajorA(int mc, int kc, float[] a, int at, int cs, float[] dst, int dOff) {
        int full = mc / MR * MR;
        // Eight columns of every panel at a time: the eight source rows being read stay in L1 while all
        // the panels take their 4-float pieces, whatever the leading dimension. Panel by panel instead,
        // a leading dimension of 512 floats mapped the kc rows of one panel onto two L1 sets, and the
        // next panel read them again from L2: 0.7-0.8 ns per element against 0.2-0.3 for other strides.
        int kb = kc & ~7;
        for (int p0 = 0; p0 < kb; p0 += 8) {
            int row = at + p0 * cs;
            int r0 = 0;
            int o = dOff + p0 * MR;
            if (TRANSPOSE) {
                // Two panels and two columns at a time (see the class comment): eight floats of column p and
                // eight of p + 1 become [p's first four, p + 1's first four] of one panel and the other
                // halves of the next.
                for (; r0 + 2 * MR <= full; r0 += 2 * MR, o += 2 * MR * kc) {
                    for (int q = 0, src = row + r0; q < 8; q += 2, src += 2 * cs) {
                        FloatVector x = FloatVector.fromArray(EIGHT, a, src);
                        FloatVector y = FloatVector.fromArray(EIGHT, a, src + cs);
                        x.blend(y.rearrange(SWAP4), HIGH4).intoArray(dst, o + q * MR);
                        x.rearrange(SWAP4).blend(y, HIGH4).intoArray(dst, o + MR * kc + q * MR);
                    }
                }
            }
            for (; r0 < full; r0 += MR, o += MR * kc) {
                for (int q = 0, src = row + r0; q < 8; q++, src += cs) {
                    System.arraycopy(a, src, dst, o + q * MR, MR);
                }
            }
        }
        packColumnMajorRest(MR, kb, mc, kc, a, at, cs, dst, dOff);
    }

    /**
     * What the column-major packers leave: columns {@code [from, kc)} of every full {@code mr}-row panel, one
     * {@code mr}-float copy each, then the last rows' panel through the scalar twin.
     */
    private static void packColumnMajorRest(int mr, int from, int mc, int kc, float[] a, int at, int cs, float[] dst, int dOff) {
        int full = mc / mr * mr;
        for (int p = from; p < kc; p++) {
            for (int r0 = 0, o = dOff + p * mr; r0 < full; r0 += mr, o += mr * kc) {
                System.arraycopy(a, at + p * cs + r0, dst, o, mr);
            }
        }
        if (full < mc) {
            int height = MatmulPackF32Scalar.panelHeight(mc - full, mr);
            MatmulPackF32Scalar.panelA(mc - full, kc, a, at + full, 1, cs, dst, dOff + full * kc, height);
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
            transposeEightRows(b, row, cs, kv, dst, d + h, NR);
            for (int j = 0; j < 8; j++) {
                int src = row + j * cs;
                for (int p = kv, o = d + kv * NR + h + j; p < kc; p++, o += NR) {
                    dst[o] = b[src + p];
                }
            }
        }
    }

    /**
     * The first {@code kv} columns (a multiple of 8) of one six-row panel from six contiguous rows {@code rs} apart:
     * {@code dst[d + 6p + r] = a[s0 + r·rs + p]}, each group of eight columns transposed in registers as the top six
     * rows of an 8x8 block ({@link #transposeEightRows}'s rounds without the work for rows 6 and 7). Each panel
     * column is stored as a whole vector: its lanes 6 and 7 (values of no use) land on the next column's first two
     * floats, which the next store overwrites (the stores run in column order), and the last column's two are the
     * caller's ({@link #sixRowVectorColumns}). One loop over the panel, not a call per block, so that C2 hoists the
     * constant shuffles and masks and removes the range checks (the class comment gives the figures). Kept apart
     * from {@link #transposeEightRows}: with rows 6 and 7 read as row 5 again, that one packed a [2048, 128] A in
     * 0.46-0.58 ns per float against this one's 0.36-0.45 (three pairs of processes, the same minutes).
     */
    private static void transposeSixRows(int kv, float[] a, int s0, int rs, float[] dst, int d) {
        int s1 = s0 + rs, s2 = s1 + rs, s3 = s2 + rs, s4 = s3 + rs, s5 = s4 + rs;
        for (int p = 0; p < kv; p += 8) {
            FloatVector x0 = FloatVector.fromArray(EIGHT, a, s0 + p);
            FloatVector x1 = FloatVector.fromArray(EIGHT, a, s1 + p);
            FloatVector x2 = FloatVector.fromArray(EIGHT, a, s2 + p);
            FloatVector x3 = FloatVector.fromArray(EIGHT, a, s3 + p);
            FloatVector x4 = FloatVector.fromArray(EIGHT, a, s4 + p);
            FloatVector x5 = FloatVector.fromArray(EIGHT, a, s5 + p);
            FloatVector y0 = x0.blend(x1.rearrange(SWAP1), ODD1), y1 = x0.rearrange(SWAP1).blend(x1, ODD1);
            FloatVector y2 = x2.blend(x3.rearrange(SWAP1), ODD1), y3 = x2.rearrange(SWAP1).blend(x3, ODD1);
            FloatVector y4 = x4.blend(x5.rearrange(SWAP1), ODD1), y5 = x4.rearrange(SWAP1).blend(x5, ODD1);
            FloatVector z0 = y0.blend(y2.rearrange(SWAP2), ODD2), z2 = y0.rearrange(SWAP2).blend(y2, ODD2);
            FloatVector z1 = y1.blend(y3.rearrange(SWAP2), ODD2), z3 = y1.rearrange(SWAP2).blend(y3, ODD2);
            // Rows 6 and 7 would only fill lanes 6 and 7 of each column, so the rounds that bring them in are left
            // out: rows 4 and 5 go on to the third round as they are (z4, z5 = y4, y5) or swapped (z6, z7).
            FloatVector z6 = y4.rearrange(SWAP2), z7 = y5.rearrange(SWAP2);
            int o = d + p * 6;
            z0.blend(y4.rearrange(SWAP4), HIGH4).intoArray(dst, o);
            z1.blend(y5.rearrange(SWAP4), HIGH4).intoArray(dst, o + 6);
            z2.blend(z6.rearrange(SWAP4), HIGH4).intoArray(dst, o + 12);
            z3.blend(z7.rearrange(SWAP4), HIGH4).intoArray(dst, o + 18);
            z0.rearrange(SWAP4).blend(y4, HIGH4).intoArray(dst, o + 24);
            z1.rearrange(SWAP4).blend(y5, HIGH4).intoArray(dst, o + 30);
            z2.rearrange(SWAP4).blend(z6, HIGH4).intoArray(dst, o + 36);
            z3.rearrange(SWAP4).blend(z7, HIGH4).intoArray(dst, o + 42);
        }
    }

    /**
     * {@code dst[d0 + q·ds + r] = src[s0 + r·ss + q]} for r < 8, q < {@code cols} (a multiple of 8): eight rows
     * transposed 8x8 block by block in registers, in three rounds that swap the off-diagonal 1x1, 2x2 and 4x4 blocks
     * of each pair of rows, in 8-lane vectors whatever the kernels' width; only when {@link #TRANSPOSE}. The blocks
     * are a loop here, not a call each, so that C2 builds the shuffle and mask constants once and drops the loads'
     * range checks (as in {@link #transposeSixRows}).
     */
    static void transposeEightRows(float[] src, int s0, int ss, int cols, float[] dst, int d0, int ds) {
        int s1 = s0 + ss, s2 = s1 + ss, s3 = s2 + ss, s4 = s3 + ss, s5 = s4 + ss, s6 = s5 + ss, s7 = s6 + ss;
        for (int p = 0, o = d0; p < cols; p += 8, o += 8 * ds) {
            FloatVector x0 = FloatVector.fromArray(EIGHT, src, s0 + p);
            FloatVector x1 = FloatVector.fromArray(EIGHT, src, s1 + p);
            FloatVector x2 = FloatVector.fromArray(EIGHT, src, s2 + p);
            FloatVector x3 = FloatVector.fromArray(EIGHT, src, s3 + p);
            FloatVector x4 = FloatVector.fromArray(EIGHT, src, s4 + p);
            FloatVector x5 = FloatVector.fromArray(EIGHT, src, s5 + p);
            FloatVector x6 = FloatVector.fromArray(EIGHT, src, s6 + p);
            FloatVector x7 = FloatVector.fromArray(EIGHT, src, s7 + p);
            FloatVector y0 = x0.blend(x1.rearrange(SWAP1), ODD1), y1 = x0.rearrange(SWAP1).blend(x1, ODD1);
            FloatVector y2 = x2.blend(x3.rearrange(SWAP1), ODD1), y3 = x2.rearrange(SWAP1).blend(x3, ODD1);
            FloatVector y4 = x4.blend(x5.rearrange(SWAP1), ODD1), y5 = x4.rearrange(SWAP1).blend(x5, ODD1);
            FloatVector y6 = x6.blend(x7.rearrange(SWAP1), ODD1), y7 = x6.rearrange(SWAP1).blend(x7, ODD1);
            FloatVector z0 = y0.blend(y2.rearrange(SWAP2), ODD2), z2 = y0.rearrange(SWAP2).blend(y2, ODD2);
            FloatVector z1 = y1.blend(y3.rearrange(SWAP2), ODD2), z3 = y1.rearrange(SWAP2).blend(y3, ODD2);
            FloatVector z4 = y4.blend(y6.rearrange(SWAP2), ODD2), z6 = y4.rearrange(SWAP2).blend(y6, ODD2);
            FloatVector z5 = y5.blend(y7.rearrange(SWAP2), ODD2), z7 = y5.rearrange(SWAP2).blend(y7, ODD2);
            z0.blend(z4.rearrange(SWAP4), HIGH4).intoArray(dst, o);
            z1.blend(z5.rearrange(SWAP4), HIGH4).intoArray(dst, o + ds);
            z2.blend(z6.rearrange(SWAP4), HIGH4).intoArray(dst, o + 2 * ds);
            z3.blend(z7.rearrange(SWAP4), HIGH4).intoArray(dst, o + 3 * ds);
            z0.rearrange(SWAP4).blend(z4, HIGH4).intoArray(dst, o + 4 * ds);
            z1.rearrange(SWAP4).blend(z5, HIGH4).intoArray(dst, o + 5 * ds);
            z2.rearrange(SWAP4).blend(z6, HIGH4).intoArray(dst, o + 6 * ds);
            z3.rearrange(SWAP4).blend(z7, HIGH4).intoArray(dst, o + 7 * ds);
        }
    }
}
