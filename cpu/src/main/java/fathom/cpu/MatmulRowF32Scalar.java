package fathom.cpu;

/**
 * The scalar twin of {@link MatmulRowF32}: {@code c[j] (+)= sum_p x[p] * B[p, j]} for {@code j0 <= j < j1}.
 *
 * <p>Same operand layout: contiguous {@code x}, {@code B[p, j] = b[bOff + p*rs + j*cs]},
 * {@code c[j]} at {@code c[cOff + j*cStride]}. Row-major B streams rows into C; any other layout takes
 * one dot product per column.
 */
final class MatmulRowF32Scalar {
    private MatmulRowF32Scalar() {}

    static void run(int k, float[] x, int xOff, float[] b, int bOff, int rs, int cs,
                    float[] c, int cOff, int cStride, boolean accumulate, int j0, int j1) {
        if (cs == 1 && cStride == 1 && rs != 1) {
            if (!accumulate) {
                java.util.Arrays.fill(c, cOff + j0, cOff + j1, 0f);
            }
            for (int p = 0; p < k; p++) {
                float xp = x[xOff + p];
                int row = bOff + p * rs;
                for (int j = j0; j < j1; j++) {
                    c[cOff + j] += xp * b[row + j];
                }
            }
            return;
        }
        for (int j = j0; j < j1; j++) {
            int col = bOff + j * cs;
            float s = 0f;
            for (int p = 0; p < k; p++) {
                s += x[xOff + p] * b[col + p * rs];
            }
            int at = cOff + j * cStride;
            c[at] = accumulate ? c[at] + s : s;
        }
    }
}
