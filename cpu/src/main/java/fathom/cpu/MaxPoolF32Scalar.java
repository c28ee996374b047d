package fathom.cpu;

import fathom.backend.PoolAxis;

/** The scalar twin of {@link MaxPoolF32Vector}: PyTorch's loop, each window's taps scanned in row-major order. */
final class MaxPoolF32Scalar {
    private MaxPoolF32Scalar() {}

    static void forward(float[] x, int xOff, int planes, int height, int width, PoolAxis h, PoolAxis w, float[] out, long[] idx, int outOff) {
        int oh = h.outSize();
        int ow = w.outSize();
        int[] hf = h.first();
        int[] ht = h.taps();
        int[] wf = w.first();
        int[] wt = w.taps();
        int hs = h.step();
        int ws = w.step();
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            int o = outOff + p * oh * ow;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    float best = Float.NEGATIVE_INFINITY;
                    long arg = ht[i] > 0 && wt[j] > 0 ? (long) hf[i] * width + wf[j] : -1;
                    for (int a = 0, r = hf[i]; a < ht[i]; a++, r += hs) {
                        int row = plane + r * width;
                        for (int b = 0, c = wf[j]; b < wt[j]; b++, c += ws) {
                            float v = x[row + c];
                            if (v > best || v != v) {
                                best = v;
                                arg = (long) r * width + c;
                            }
                        }
                    }
                    out[o] = best;
                    idx[o] = arg;
                }
            }
        }
    }
}
