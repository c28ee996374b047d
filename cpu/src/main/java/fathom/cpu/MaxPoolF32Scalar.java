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

    /**
     * {@link MaxPoolF32#forwardPairs}, the four taps of each 2x2 window in row-major order, from output column
     * {@code fromColumn} of each row (the vector kernel's tail).
     */
    static void forwardPairs(float[] x, int xOff, int planes, int height, int width, int oh, int ow, float[] out, long[] idx, int outOff,
                             int fromColumn) {
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            for (int i = 0; i < oh; i++) {
                int r0 = plane + 2 * i * width;
                int r1 = r0 + width;
                long rowIndex = 2L * i * width;
                int o = outOff + (p * oh + i) * ow;
                for (int j = fromColumn; j < ow; j++) {
                    int c = 2 * j;
                    float best = x[r0 + c];
                    long at = rowIndex + c;
                    float v = x[r0 + c + 1];
                    if (v > best || v != v) {
                        best = v;
                        at = rowIndex + c + 1;
                    }
                    v = x[r1 + c];
                    if (v > best || v != v) {
                        best = v;
                        at = rowIndex + width + c;
                    }
                    v = x[r1 + c + 1];
                    if (v > best || v != v) {
                        best = v;
                        at = rowIndex + width + c + 1;
                    }
                    out[o + j] = best;
                    idx[o + j] = at;
                }
            }
        }
    }
}
