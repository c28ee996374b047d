package fathom.cpu;

import java.util.Arrays;

/**
 * Packs strided blocks of the matmul operands into the contiguous panels the micro-kernels read; the
 * scalar twin of {@link MatmulPackF32}, and its fallback for the layouts and edge panels that one leaves
 * to plain loops.
 *
 * <p>An A block {@code mc x kc} becomes {@code ceil(mc/mr)} panels, each {@code kc} columns of {@code mr}
 * floats ({@code dst[dOff + panel*mr*kc + p*mr + r]}); a B block {@code kc x nc} becomes
 * {@code ceil(nc/nr)} panels, each {@code kc} rows of {@code nr} floats. Rows or columns past the block
 * edge are zero, so the micro-kernel always computes a full tile. Packing reads any strides, which is
 * why transposed operands (autograd's {@code A^T·B} and {@code A·B^T}) need no copy; the loop order
 * follows whichever stride is 1 so that the reads stream.
 */
final class MatmulPackF32Scalar {
    private MatmulPackF32Scalar() {}

    /**
     * Packs {@code A[i, p] = a[at + i*rs + p*cs]} for {@code i < mc, p < kc} into {@code mr}-row panels at {@code dst[dOff]},
     * the last one {@link #panelHeight} rows tall.
     */
    static void packA(int mc, int kc, float[] a, int at, int rs, int cs, float[] dst, int dOff, int mr) {
        int d = dOff;
        for (int r0 = 0; r0 < mc; r0 += mr) {
            int rows = Math.min(mr, mc - r0);
            panelA(rows, kc, a, at + r0 * rs, rs, cs, dst, d, panelHeight(rows, mr));
            d += mr * kc;
        }
    }

    /**
     * The height of the A panel that holds {@code rows <= mr} rows: {@code mr}, except that in six- and eight-row panels
     * an edge of at most four rows gets a four-row panel, which the four-row micro-kernel computes with two rows fewer
     * (a batch of 32 rows is five six-row tiles and an edge of two: 34 rows computed instead of 36).
     */
    static int panelHeight(int rows, int mr) {
        return mr > 4 && rows <= 4 ? 4 : mr;
    }

    /** One A panel of {@code rows <= mr} rows; rows past {@code rows} are zero. */
    static void panelA(int rows, int kc, float[] a, int base, int rs, int cs, float[] dst, int d, int mr) {
        if (rows < mr) {
            Arrays.fill(dst, d, d + mr * kc, 0f);
        }
        if (cs == 1) {
            for (int r = 0; r < rows; r++) {
                int src = base + r * rs;
                for (int p = 0, o = d + r; p < kc; p++, o += mr) {
                    dst[o] = a[src + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = base + p * cs;
                int o = d + p * mr;
                for (int r = 0; r < rows; r++) {
                    dst[o + r] = a[src + r * rs];
                }
            }
        }
    }

    /** Packs {@code B[p, j] = b[at + p*rs + j*cs]} for {@code p < kc, j < nc} into {@code nr}-column panels at {@code dst[dOff]}. */
    static void packB(int kc, int nc, float[] b, int at, int rs, int cs, float[] dst, int dOff, int nr) {
        int d = dOff;
        for (int j0 = 0; j0 < nc; j0 += nr) {
            panelB(kc, Math.min(nr, nc - j0), b, at + j0 * cs, rs, cs, dst, d, nr);
            d += nr * kc;
        }
    }

    /** One B panel of {@code cols <= nr} columns; columns past {@code cols} are zero. */
    static void panelB(int kc, int cols, float[] b, int base, int rs, int cs, float[] dst, int d, int nr) {
        if (cols < nr) {
            Arrays.fill(dst, d, d + nr * kc, 0f);
        }
        if (cs == 1) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, base + p * rs, dst, d + p * nr, cols);
            }
        } else if (rs == 1) {
            for (int j = 0; j < cols; j++) {
                int src = base + j * cs;
                for (int p = 0, o = d + j; p < kc; p++, o += nr) {
                    dst[o] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = base + p * rs;
                int o = d + p * nr;
                for (int j = 0; j < cols; j++) {
                    dst[o + j] = b[src + j * cs];
                }
            }
        }
    }
}
