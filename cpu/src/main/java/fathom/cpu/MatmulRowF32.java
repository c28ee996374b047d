package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 row-times-matrix kernel: {@code c[j] (+)= sum_p x[p] * B[p, j]} for {@code j0 <= j < j1},
 * the {@code m = 1} case of matmul (batch-1 inference) that packing would only slow down.
 *
 * <p>{@code x} is contiguous; {@code B[p, j] = b[bOff + p*rs + j*cs]}; {@code c[j]} lies at
 * {@code c[cOff + j*cStride]}. Row-major B ({@code cs == 1}) streams four rows of B at a time into a C row
 * that stays in L1; column-major B ({@code rs == 1}) takes dot products of four
 * columns at once so each load of {@code x} feeds four FMAs. Loaded only when {@link Simd#ENABLED};
 * the scalar twin is {@link MatmulRowF32Scalar}.
 */
final class MatmulRowF32 {
    private static final VectorSpecies<Float> S = MatmulTileF32.SPECIES;
    private static final int L = S.length();

    private MatmulRowF32() {}

    static void run(int k, float[] x, int xOff, float[] b, int bOff, int rs, int cs,
                    float[] c, int cOff, int cStride, boolean accumulate, int j0, int j1) {
        if (cs == 1 && cStride == 1) {
            rowMajor(k, x, xOff, b, bOff, rs, c, cOff, accumulate, j0, j1);
        } else if (rs == 1) {
            columnMajor(k, x, xOff, b, bOff, cs, c, cOff, cStride, accumulate, j0, j1);
        } else {
            MatmulRowF32Scalar.run(k, x, xOff, b, bOff, rs, cs, c, cOff, cStride, accumulate, j0, j1);
        }
    }

    private static void rowMajor(int k, float[] x, int xOff, float[] b, int bOff, int rs,
                                 float[] c, int cOff, boolean accumulate, int j0, int j1) {
        if (!accumulate) {
            java.util.Arrays.fill(c, cOff + j0, cOff + j1, 0f);
        }
        int jv = j0 + S.loopBound(j1 - j0);
        int p = 0;
        // Four rows of B per pass: four sequential read streams the prefetcher follows, and one load and
        // store of the C chunk (which stays in L1) per four FMAs.
        for (; p + 4 <= k; p += 4) {
            FloatVector x0 = FloatVector.broadcast(S, x[xOff + p]);
            FloatVector x1 = FloatVector.broadcast(S, x[xOff + p + 1]);
            FloatVector x2 = FloatVector.broadcast(S, x[xOff + p + 2]);
            FloatVector x3 = FloatVector.broadcast(S, x[xOff + p + 3]);
            int r0 = bOff + p * rs, r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
            for (int j = j0; j < jv; j += L) {
                FloatVector acc = FloatVector.fromArray(S, c, cOff + j);
                acc = x0.fma(FloatVector.fromArray(S, b, r0 + j), acc);
                acc = x1.fma(FloatVector.fromArray(S, b, r1 + j), acc);
                acc = x2.fma(FloatVector.fromArray(S, b, r2 + j), acc);
                acc = x3.fma(FloatVector.fromArray(S, b, r3 + j), acc);
                acc.intoArray(c, cOff + j);
            }
            for (int j = jv; j < j1; j++) {
                c[cOff + j] += x[xOff + p] * b[r0 + j] + x[xOff + p + 1] * b[r1 + j]
                        + x[xOff + p + 2] * b[r2 + j] + x[xOff + p + 3] * b[r3 + j];
            }
        }
        for (; p < k; p++) {
            FloatVector x0 = FloatVector.broadcast(S, x[xOff + p]);
            int r0 = bOff + p * rs;
            for (int j = j0; j < jv; j += L) {
                x0.fma(FloatVector.fromArray(S, b, r0 + j), FloatVector.fromArray(S, c, cOff + j)).intoArray(c, cOff + j);
            }
            for (int j = jv; j < j1; j++) {
                c[cOff + j] += x[xOff + p] * b[r0 + j];
            }
        }
    }

    private static void columnMajor(int k, float[] x, int xOff, float[] b, int bOff, int cs,
                                    float[] c, int cOff, int cStride, boolean accumulate, int j0, int j1) {
        int kv = S.loopBound(k);
        int j = j0;
        for (; j + 4 <= j1; j += 4) {
            int b0 = bOff + j * cs, b1 = b0 + cs, b2 = b1 + cs, b3 = b2 + cs;
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                s0 = xv.fma(FloatVector.fromArray(S, b, b0 + p), s0);
                s1 = xv.fma(FloatVector.fromArray(S, b, b1 + p), s1);
                s2 = xv.fma(FloatVector.fromArray(S, b, b2 + p), s2);
                s3 = xv.fma(FloatVector.fromArray(S, b, b3 + p), s3);
            }
            float r0 = 0f, r1 = 0f, r2 = 0f, r3 = 0f;
            for (int l = 0; l < L; l++) { // lane by lane in order, not reduceLanes(ADD): see ReduceF32Vector.blockSum
                r0 += s0.lane(l);
                r1 += s1.lane(l);
                r2 += s2.lane(l);
                r3 += s3.lane(l);
            }
            for (int p = kv; p < k; p++) {
                float xp = x[xOff + p];
                r0 += xp * b[b0 + p];
                r1 += xp * b[b1 + p];
                r2 += xp * b[b2 + p];
                r3 += xp * b[b3 + p];
            }
            int at = cOff + j * cStride;
            if (accumulate) {
                c[at] += r0;
                c[at + cStride] += r1;
                c[at + 2 * cStride] += r2;
                c[at + 3 * cStride] += r3;
            } else {
                c[at] = r0;
                c[at + cStride] = r1;
                c[at + 2 * cStride] = r2;
                c[at + 3 * cStride] = r3;
            }
        }
        if (j < j1) {
            MatmulRowF32Scalar.run(k, x, xOff, b, bOff, 1, cs, c, cOff, cStride, accumulate, j, j1);
        }
    }
}
