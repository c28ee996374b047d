package fathom.cpu;

/**
 * The scalar twin of {@link AttentionRowF32Vector}: the per-query-row steps of the attention kernels
 * ({@link AttentionF32}) as plain loops, with the same contracts.
 */
final class AttentionRowF32Scalar {
    private AttentionRowF32Scalar() {}

    /** {@code s[j] = scale·Σ_p x[xOff + p]·mt[mtOff + p·ld + j]} for {@code j < n}: one row times a transposed block. */
    static void rowTimesColumns(float[] x, int xOff, float[] mt, int mtOff, int ld, int depth, int n, float scale, float[] s) {
        for (int j = 0; j < n; j++) {
            float acc = 0f;
            for (int p = 0; p < depth; p++) {
                acc = Math.fma(x[xOff + p], mt[mtOff + p * ld + j], acc);
            }
            s[j] = acc * scale;
        }
    }

    /** {@code s[j] = exp(s[j] − shift)} for {@code j < n}; returns their sum. */
    static float expShift(float[] s, int n, float shift) {
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(s[j] - shift);
            s[j] = e;
            sum += e;
        }
        return sum;
    }

    /** {@code o[oOff + c] += Σ_j p[j]·m[mOff + j·ld + c]} for {@code c < len}, {@code j < n}: o plus p times n rows of m. */
    static void accumulateRows(float[] p, int n, float[] m, int mOff, int ld, int len, float[] o, int oOff) {
        for (int c = 0; c < len; c++) {
            float acc = o[oOff + c];
            for (int j = 0; j < n; j++) {
                acc = Math.fma(p[j], m[mOff + j * ld + c], acc);
            }
            o[oOff + c] = acc;
        }
    }

    /** {@code y[yOff + j·ld + c] += a[j]·x[xOff + c]} for {@code j < n}, {@code c < len}: n rows of y plus the outer product a·xᵀ. */
    static void addOuter(float[] a, int n, float[] x, int xOff, int len, float[] y, int yOff, int ld) {
        for (int j = 0; j < n; j++) {
            float aj = a[j];
            int row = yOff + j * ld;
            for (int c = 0; c < len; c++) {
                y[row + c] = Math.fma(aj, x[xOff + c], y[row + c]);
            }
        }
    }

    /** {@code d[j] = p[j]·(d[j] − shift)} for {@code j < n}. */
    static void softmaxGrad(float[] p, float[] d, int n, float shift) {
        for (int j = 0; j < n; j++) {
            d[j] = p[j] * (d[j] - shift);
        }
    }

    /** {@code Σ_c a[aOff + c]·b[bOff + c]} for {@code c < len}. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float acc = 0f;
        for (int c = 0; c < len; c++) {
            acc = Math.fma(a[aOff + c], b[bOff + c], acc);
        }
        return acc;
    }

    /** {@code y[yOff + c] = a·x[xOff + c]} for {@code c < len}; y may be x. */
    static void scale(float a, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int c = 0; c < len; c++) {
            y[yOff + c] = a * x[xOff + c];
        }
    }

    /** {@code max_j s[j]} for {@code j < n}; −∞ when n is 0 (scores are never NaN here unless an input is). */
    static float max(float[] s, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, s[j]);
        }
        return m;
    }
}
