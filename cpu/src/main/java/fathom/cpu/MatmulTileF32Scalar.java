package fathom.cpu;

/**
 * The scalar twin of {@link MatmulTileF32}: {@code C[0:4, 0:4] += Apanel · Bpanel} over {@code kc} steps.
 *
 * <p>Sixteen scalar accumulators in registers; the panels are packed 4 wide by {@link MatmulPackF32}.
 * Used when {@link Simd#ENABLED} is false.
 */
final class MatmulTileF32Scalar {
    static final int MR = 4;
    static final int NR = 4;

    private MatmulTileF32Scalar() {}

    /**
     * {@code c[cOff + r*ldc + j] (+)= sum_p ap[aOff + p*4 + r] * bp[bOff + p*4 + j]} for the full 4 x 4
     * tile: added to C, or stored over it when {@code overwrite}.
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean overwrite) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            int ao = aOff + p * MR;
            int bo = bOff + p * NR;
            float b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
            float a = ap[ao];
            c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
            a = ap[ao + 1];
            c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
            a = ap[ao + 2];
            c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
            a = ap[ao + 3];
            c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
        }
        write(c00, c01, c02, c03, c, cOff, overwrite);
        write(c10, c11, c12, c13, c, cOff + ldc, overwrite);
        write(c20, c21, c22, c23, c, cOff + 2 * ldc, overwrite);
        write(c30, c31, c32, c33, c, cOff + 3 * ldc, overwrite);
    }

    private static void write(float v0, float v1, float v2, float v3, float[] c, int at, boolean overwrite) {
        if (overwrite) {
            c[at] = v0;
            c[at + 1] = v1;
            c[at + 2] = v2;
            c[at + 3] = v3;
        } else {
            c[at] += v0;
            c[at + 1] += v1;
            c[at + 2] += v2;
            c[at + 3] += v3;
        }
    }
}
