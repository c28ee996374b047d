package fathom.cpu;

/**
 * Float32 batch normalization of x laid out as [N, C, S] (S = the product of the trailing dimensions;
 * channel ch of sample n is the run of S elements at {@code (n·C + ch)·S}): per-channel statistics,
 * the normalization with its affine part, and the backward pass, each reading its inputs in one sweep
 * per channel. Every method handles the channels {@code [c0, c1)}, so the caller splits channels over
 * threads; runs use the Vector API kernels when {@link Simd#ENABLED} and the scalar twins otherwise.
 * Sums are combined in double per run, and the variance is two-pass (Σ(x − mean)²), so neither
 * grows inaccurate with N·S or with a mean far from zero.
 */
public final class BatchNormF32 {
    private BatchNormF32() {}

    /** mean[ch] and biased var[ch] over the N·S elements of each channel in [c0, c1). */
    public static void stats(float[] x, int xOff, int n, int c, int s, int c0, int c1, float[] mean, float[] var) {
        double m = (double) n * s;
        for (int ch = c0; ch < c1; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                int run = xOff + (b * c + ch) * s;
                sum += Simd.ENABLED ? ReduceF32Vector.sumDouble(x, run, s) : ReduceF32Scalar.sumDouble(x, run, s);
            }
            float mu = (float) (sum / m);
            double sq = 0;
            for (int b = 0; b < n; b++) {
                int run = xOff + (b * c + ch) * s;
                sq += Simd.ENABLED ? BatchNormF32Vector.squaredDeviations(x, run, s, mu) : BatchNormF32Scalar.squaredDeviations(x, run, s, mu);
            }
            mean[ch] = mu;
            var[ch] = (float) (sq / m);
        }
    }

    /** y = x·α + β per channel with α = invStd·w and β = b − mean·α (PyTorch's CPU form); w and b may be null (1 and 0). */
    public static void forward(float[] x, int xOff, int n, int c, int s, int c0, int c1, float[] mean, float[] invStd, float[] w, float[] b,
            float[] y, int yOff) {
        for (int ch = c0; ch < c1; ch++) {
            float alpha = invStd[ch] * (w == null ? 1 : w[ch]);
            float beta = (b == null ? 0 : b[ch]) - mean[ch] * alpha;
            for (int k = 0; k < n; k++) {
                int at = (k * c + ch) * s;
                if (Simd.ENABLED) BatchNormF32Vector.affine(x, xOff + at, s, alpha, beta, y, yOff + at);
                else BatchNormF32Scalar.affine(x, xOff + at, s, alpha, beta, y, yOff + at);
            }
        }
    }

    /**
     * The gradients of {@link #forward} given g: gw[ch] = Σ g·(x − mean)·invStd and gb[ch] = Σ g (when gw
     * and gb are not null), and gx = (g − Σg/M − (x − mean)·invStd²·Σg(x − mean)/M)·invStd·w with
     * {@code batchStats} (M = N·S; mean and invStd came from x), else gx = g·invStd·w.
     */
    public static void backward(float[] g, int gOff, float[] x, int xOff, int n, int c, int s, int c0, int c1, float[] mean, float[] invStd,
            float[] w, boolean batchStats, float[] gx, int gxOff, float[] gw, float[] gb) {
        double m = (double) n * s;
        for (int ch = c0; ch < c1; ch++) {
            float mu = mean[ch];
            double sumG = 0;
            double dot = 0;
            for (int k = 0; k < n; k++) {
                int at = (k * c + ch) * s;
                sumG += Simd.ENABLED ? ReduceF32Vector.sumDouble(g, gOff + at, s) : ReduceF32Scalar.sumDouble(g, gOff + at, s);
                dot += Simd.ENABLED ? BatchNormF32Vector.centeredDot(g, gOff + at, x, xOff + at, s, mu)
                        : BatchNormF32Scalar.centeredDot(g, gOff + at, x, xOff + at, s, mu);
            }
            float is = invStd[ch];
            float scale = is * (w == null ? 1 : w[ch]);
            float gMean = batchStats ? (float) (sumG / m) : 0;
            float k2 = batchStats ? (float) (dot * is * is / m) : 0;
            for (int k = 0; k < n; k++) {
                int at = (k * c + ch) * s;
                if (Simd.ENABLED) BatchNormF32Vector.inputGradient(g, gOff + at, x, xOff + at, s, mu, gMean, k2, scale, batchStats, gx, gxOff + at);
                else BatchNormF32Scalar.inputGradient(g, gOff + at, x, xOff + at, s, mu, gMean, k2, scale, batchStats, gx, gxOff + at);
            }
            if (gw != null) {
                gw[ch] = (float) (dot * is);
                gb[ch] = (float) sumG;
            }
        }
    }
}
