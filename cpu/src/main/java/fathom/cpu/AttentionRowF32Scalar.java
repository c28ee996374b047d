package fathom.cpu;

/**
 * The scalar twin of {@link AttentionRowF32Vector}: the steps of the attention kernels
 * ({@link AttentionF32}) on a block of four query rows, as plain loops. Rows r = 0..3 of a block
 * buffer lie at {@code r·ls} (scores) or {@code r·ldo} (accumulators); the four query (or gradient)
 * rows are read at offsets {@code x0..x3} of one array.
 */
final class AttentionRowF32Scalar {
    private AttentionRowF32Scalar() {}

    /** {@code s[sOff + r·ls + j] = scale·Σ_p x[x_r + p]·mt[mtOff + p·ld + j]} for r < 4, j < nv: four rows times a transposed block. */
    static void scores4(float[] x, int x0, int x1, int x2, int x3, float[] mt, int mtOff, int ld, int depth, int nv, float scale,
                        float[] s, int sOff, int ls) {
        int[] rows = {x0, x1, x2, x3};
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < nv; j++) {
                float acc = 0f;
                for (int p = 0; p < depth; p++) {
                    acc = Math.fma(x[rows[r] + p], mt[mtOff + p * ld + j], acc);
                }
                s[sOff + r * ls + j] = acc * scale;
            }
        }
    }

    /**
     * {@code o[oOff + r·ldo + c] += Σ_{j<n} p[pOff + r·ls + j]·m[mOff + j·ldm + c]} for r < 4, c < len: four rows plus
     * weighted sums of n rows of m.
     */
    static void accumulate4(float[] p, int pOff, int ls, int n, float[] m, int mOff, int ldm, int len, float[] o, int oOff, int ldo) {
        accumulate4Columns(p, pOff, ls, n, m, mOff, ldm, 0, len, o, oOff, ldo);
    }

    /** {@link #accumulate4} for columns c0 ≤ c < c1 only (the vector kernel's tail). */
    static void accumulate4Columns(float[] p, int pOff, int ls, int n, float[] m, int mOff, int ldm, int c0, int c1, float[] o, int oOff,
                                   int ldo) {
        for (int r = 0; r < 4; r++) {
            for (int c = c0; c < c1; c++) {
                int at = oOff + r * ldo + c;
                float acc = o[at];
                for (int j = 0; j < n; j++) {
                    acc = Math.fma(p[pOff + r * ls + j], m[mOff + j * ldm + c], acc);
                }
                o[at] = acc;
            }
        }
    }

    /**
     * {@code y[yOff + t·ldy + c] += Σ_{i<rows} a[aOff + i·lda + t]·x[xOff + i·ldx + c]} for t < keys, c0 ≤ c < c1:
     * rows of dK or dV plus Aᵀ (or dSᵀ) times the query chunk's rows, each sum formed from zero before it is added;
     * when {@code zeros} (the first sum for these rows), y is not read, and may hold anything ({@code 0 + sum}).
     */
    static void addTransposed(float[] a, int aOff, int lda, int rows, int keys, float[] x, int xOff, int ldx, int c0, int c1, float[] y,
                              int yOff, int ldy, boolean zeros) {
        for (int t = 0; t < keys; t++) {
            for (int c = c0; c < c1; c++) {
                float acc = 0f;
                for (int i = 0; i < rows; i++) {
                    acc = Math.fma(a[aOff + i * lda + t], x[xOff + i * ldx + c], acc);
                }
                int at = yOff + t * ldy + c;
                y[at] = (zeros ? 0f : y[at]) + acc;
            }
        }
    }

    /** {@code s[off + j] = exp(s[off + j] − shift)} for j < n; returns their sum. */
    static float expShift(float[] s, int off, int n, float shift) {
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = ExpF32Scalar.exp(s[off + j] - shift);
            s[off + j] = e;
            sum += e;
        }
        return sum;
    }

    /** {@code d[off + j] = p[off + j]·(d[off + j] − shift)·scale} for j < n. */
    static void softmaxGrad(float[] p, int off, float[] d, int n, float shift, float scale) {
        for (int j = 0; j < n; j++) {
            d[off + j] = p[off + j] * (d[off + j] - shift) * scale;
        }
    }

    /** {@code Σ_c a[aOff + c]·b[bOff + c]} for c < len. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float acc = 0f;
        for (int c = 0; c < len; c++) {
            acc = Math.fma(a[aOff + c], b[bOff + c], acc);
        }
        return acc;
    }

    /** {@code y[yOff + c] = a·x[xOff + c]} for c < len; y may be x. */
    static void scale(float a, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int c = 0; c < len; c++) {
            y[yOff + c] = a * x[xOff + c];
        }
    }

    /** {@code max_j s[off + j]} for j < n; −∞ when n is 0. */
    static float max(float[] s, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, s[off + j]);
        }
        return m;
    }
}
