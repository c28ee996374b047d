package fathom.cpu;

/**
 * The scalar twin of {@link MatmulTileF32}: {@code C[0:mr, 0:nr] (+)= Apanel · Bpanel} over {@code kc} steps,
 * for A panels {@code mr} = 4 or 6 floats tall and B panels {@code nr} floats wide (a multiple of 4).
 *
 * <p>Every element is computed as one lane of the vector kernel computes it: a chain of fused
 * multiply-adds over {@code p} from zero, then added to C (or stored over it). So the twin gives the
 * vector kernel's bits exactly, at any vector width, and {@link MatmulF32} runs it in the vector panel
 * layout ({@code nr = 16} at 256 bits) while the vector kernel is not yet compiled. With vectors off the
 * panels are {@link #MR} = 4 tall and {@link #NR} = 4 wide. Four rows by four columns at a time keep the sixteen
 * accumulators in registers; a six-row panel's last two rows take the same loop, two of its rows unused.
 *
 * <p>{@link Math#fma} is one instruction on x86 with FMA (every AVX2 machine) and on AArch64; on hardware
 * without FMA the JDK computes it exactly in software, which is slow, as the vector kernel's fma would be.
 */
final class MatmulTileF32Scalar {
    static final int MR = 4;
    static final int NR = 4;

    private MatmulTileF32Scalar() {}

    /**
     * {@code c[cOff + r*ldc + j] (+)= sum_p ap[aOff + p*mr + r] * bp[bOff + p*nr + j]} for the full mr x nr
     * tile: added to C, or, when {@code overwrite}, stored over it plus {@code bias[biasOff + j]} if
     * {@code bias} is not null.
     */
    static void tile(int kc, int mr, int nr, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean overwrite,
                     float[] bias, int biasOff) {
        for (int j = 0; j < nr; j += 4) {
            for (int r = 0; r < mr; r += 4) {
                quad(kc, mr, Math.min(4, mr - r), nr, ap, aOff + r, bp, bOff + j, c, cOff + r * ldc + j, ldc, overwrite, bias, biasOff + j);
            }
        }
    }

    /**
     * Rows {@code 0 .. rows-1} ({@code rows} = 4, or 2 for the last two of a six-row panel) and columns
     * {@code j .. j+3} of the tile, with A's panel columns {@code mr} and B's panel rows {@code nr} apart. With two
     * rows, the third and fourth accumulators repeat the second row's sums and are not written.
     */
    private static void quad(int kc, int mr, int rows, int nr, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc,
                             boolean overwrite, float[] bias, int biasOff) {
        int a2 = Math.min(2, rows - 1), a3 = rows - 1;
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            int ao = aOff + p * mr;
            int bo = bOff + p * nr;
            float b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
            float a = ap[ao];
            c00 = Math.fma(a, b0, c00); c01 = Math.fma(a, b1, c01); c02 = Math.fma(a, b2, c02); c03 = Math.fma(a, b3, c03);
            a = ap[ao + 1];
            c10 = Math.fma(a, b0, c10); c11 = Math.fma(a, b1, c11); c12 = Math.fma(a, b2, c12); c13 = Math.fma(a, b3, c13);
            a = ap[ao + a2];
            c20 = Math.fma(a, b0, c20); c21 = Math.fma(a, b1, c21); c22 = Math.fma(a, b2, c22); c23 = Math.fma(a, b3, c23);
            a = ap[ao + a3];
            c30 = Math.fma(a, b0, c30); c31 = Math.fma(a, b1, c31); c32 = Math.fma(a, b2, c32); c33 = Math.fma(a, b3, c33);
        }
        if (overwrite && bias != null) {
            float b0 = bias[biasOff], b1 = bias[biasOff + 1], b2 = bias[biasOff + 2], b3 = bias[biasOff + 3];
            c00 += b0; c01 += b1; c02 += b2; c03 += b3;
            c10 += b0; c11 += b1; c12 += b2; c13 += b3;
            c20 += b0; c21 += b1; c22 += b2; c23 += b3;
            c30 += b0; c31 += b1; c32 += b2; c33 += b3;
        }
        write(c00, c01, c02, c03, c, cOff, overwrite);
        write(c10, c11, c12, c13, c, cOff + ldc, overwrite);
        if (rows == 4) {
            write(c20, c21, c22, c23, c, cOff + 2 * ldc, overwrite);
            write(c30, c31, c32, c33, c, cOff + 3 * ldc, overwrite);
        }
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
