package fathom.cpu;

import fathom.backend.PoolAxis;

/** The scalar twin of {@link AvgPoolF32Vector}: one window at a time, its taps summed in row-major order. */
final class AvgPoolF32Scalar {
    private AvgPoolF32Scalar() {}

    static void forward(float[] x, int xOff, int planes, int height, int width, PoolAxis h, PoolAxis w, double[] divisor, float[] out,
            int outOff) {
        int oh = h.outSize();
        int ow = w.outSize();
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            int o = outOff + p * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    float sum = 0;
                    for (int a = 0, r = h.first()[i]; a < h.taps()[i]; a++, r += h.step()) {
                        for (int b = 0, c = w.first()[j]; b < w.taps()[j]; b++, c += w.step()) {
                            sum += x[plane + r * width + c];
                        }
                    }
                    out[o] = (float) (sum / divisor[i * ow + j]);
                }
            }
        }
    }

    static void backward(float[] g, int gOff, int planes, int height, int width, PoolAxis h, PoolAxis w, double[] divisor, float[] gx,
            int gxOff) {
        int oh = h.outSize();
        int ow = w.outSize();
        for (int p = 0; p < planes; p++) {
            int plane = gxOff + p * height * width;
            int o = gOff + p * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    float v = (float) (g[o] / divisor[i * ow + j]);
                    for (int a = 0, r = h.first()[i]; a < h.taps()[i]; a++, r += h.step()) {
                        for (int b = 0, c = w.first()[j]; b < w.taps()[j]; b++, c += w.step()) {
                            gx[plane + r * width + c] += v;
                        }
                    }
                }
            }
        }
    }
}
