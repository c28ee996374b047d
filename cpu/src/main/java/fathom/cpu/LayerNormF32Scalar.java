package fathom.cpu;

/**
 * The scalar twin of {@link LayerNormF32Vector}: layer normalization of row-major {@code [rows, n]}
 * blocks, forward and backward, one row at a time, with the same contracts.
 */
final class LayerNormF32Scalar {
    private LayerNormF32Scalar() {}

    /**
     * For each row r: mean, rstd = 1/√(mean((x − mean)²) + eps), {@code y = (x − mean)·rstd·w + b}
     * (w, b may be null); writes mean[r] and rstd[r] at statOff + r.
     */
    static void forward(float[] x, int xOff, int rows, int n, float[] w, float[] b, float eps, float[] y, int yOff,
                        float[] mean, float[] rstd, int statOff) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * n;
            int yr = yOff + r * n;
            float s = 0f;
            for (int c = 0; c < n; c++) s += x[xr + c];
            float m = s / n;
            float q = 0f;
            for (int c = 0; c < n; c++) {
                float d = x[xr + c] - m;
                q = Math.fma(d, d, q);
            }
            float rs = 1f / (float) Math.sqrt(q / n + eps);
            for (int c = 0; c < n; c++) {
                float v = (x[xr + c] - m) * rs;
                if (w != null) v = Math.fma(v, w[c], b[c]);
                y[yr + c] = v;
            }
            mean[statOff + r] = m;
            rstd[statOff + r] = rs;
        }
    }

    /**
     * For each row: x̂ = (x − mean)·rstd, ĝ = g·w, {@code dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))};
     * when dw is not null, {@code dw += g·x̂} and {@code db += g}.
     */
    static void backward(float[] x, int xOff, float[] g, int gOff, int rows, int n, float[] w, float[] mean, float[] rstd, int statOff,
                         float[] dx, int dxOff, float[] dw, float[] db) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * n;
            int gr = gOff + r * n;
            int dr = dxOff + r * n;
            float m = mean[statOff + r];
            float rs = rstd[statOff + r];
            float sg = 0f;
            float sgx = 0f;
            for (int c = 0; c < n; c++) {
                float xh = (x[xr + c] - m) * rs;
                float gw = w == null ? g[gr + c] : g[gr + c] * w[c];
                sg += gw;
                sgx = Math.fma(gw, xh, sgx);
                if (dw != null) {
                    dw[c] = Math.fma(g[gr + c], xh, dw[c]);
                    db[c] += g[gr + c];
                }
            }
            float a = sg / n;
            float bb = sgx / n;
            for (int c = 0; c < n; c++) {
                float xh = (x[xr + c] - m) * rs;
                float gw = w == null ? g[gr + c] : g[gr + c] * w[c];
                dx[dr + c] = rs * (gw - a - xh * bb);
            }
        }
    }
}
