package fathom.cpu;

/** The scalar twin of {@link BatchNormF32Vector}: the per-run loops of {@link BatchNormF32}, sums in double. */
final class BatchNormF32Scalar {
    private BatchNormF32Scalar() {}

    /** Σ (x − mean)² over the run. */
    static double squaredDeviations(float[] x, int off, int n, float mean) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            float d = x[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    /** Σ g·(x − mean) over the run. */
    static double centeredDot(float[] g, int gOff, float[] x, int xOff, int n, float mean) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += g[gOff + i] * (x[xOff + i] - mean);
        }
        return s;
    }

    /** y = x·alpha + beta over the run. */
    static void affine(float[] x, int off, int n, float alpha, float beta, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = x[off + i] * alpha + beta;
        }
    }

    /** gx = ((g − gMean) − (x − mean)·k)·scale with batch statistics, else gx = g·scale. */
    static void inputGradient(float[] g, int gOff, float[] x, int xOff, int n, float mean, float gMean, float k, float scale,
            boolean batchStats, float[] gx, int gxOff) {
        if (!batchStats) {
            for (int i = 0; i < n; i++) {
                gx[gxOff + i] = g[gOff + i] * scale;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            gx[gxOff + i] = ((g[gOff + i] - gMean) - (x[xOff + i] - mean) * k) * scale;
        }
    }
}
