package fathom.cpu;

/**
 * The scalar twin of {@link ConvDirectF32Vector}: the same sums, one output or one weight at a time; the
 * weight gradient is also the exact path the vector one falls back on for an image with an infinity or NaN.
 */
final class ConvDirectF32Scalar {
    private ConvDirectF32Scalar() {}

    /** As {@link ConvDirectF32Vector#forward}. */
    static void forward(float[] xp, int[] taps, int k, int span, float[] wt, int wOff, float[] bias, int bOff, int og, float[] yp) {
        for (int o = 0; o < og; o++) {
            float b = bias == null ? 0f : bias[bOff + o];
            int w0 = wOff + o * k;
            for (int p = 0; p < span; p++) {
                float acc = b;
                for (int t = 0; t < k; t++) {
                    acc = Math.fma(xp[p + taps[t]], wt[w0 + t], acc);
                }
                yp[o * span + p] = acc;
            }
        }
    }

    /**
     * The sums of {@link ConvDirectF32Vector#weightGrad}, read row by row from the gradient in place
     * ({@code gy[gyOff + o·ho·wo + oh·wo + ow]}), so only real positions (ow < wo) count.
     */
    static void weightGrad(float[] xp, int pitch, int[] taps, int k, float[] gy, int gyOff, int og, int ho, int wo, float[] gw, int gwOff) {
        int plane = ho * wo;
        for (int o = 0; o < og; o++) {
            for (int t = 0; t < k; t++) {
                int tap = taps[t];
                float acc = 0f;
                for (int oh = 0; oh < ho; oh++) {
                    int gr = gyOff + o * plane + oh * wo;
                    int xr = oh * pitch + tap;
                    for (int ow = 0; ow < wo; ow++) {
                        acc = Math.fma(gy[gr + ow], xp[xr + ow], acc);
                    }
                }
                gw[gwOff + o * k + t] += acc;
            }
        }
    }
}
