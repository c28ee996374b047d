package fathom.cpu;

import fathom.backend.PoolAxis;

/**
 * Float32 max pooling over consecutive row-major [H, W] planes, with PyTorch's indices and tie rule,
 * and its backward pass. The forward runs the Vector API kernel when {@link Simd#ENABLED} and the
 * scalar twin otherwise; the backward is a scatter, which vectors do not speed up. Single-threaded:
 * the caller splits planes.
 */
public final class MaxPoolF32 {
    private MaxPoolF32() {}

    /**
     * For each of {@code planes} planes of x at {@code xOff} (plane p at {@code xOff + p·H·W}): the
     * maximum of each window {@code h × w} into out and its index {@code row·W + col} within the plane
     * into idx, both [planes, OH, OW] at {@code outOff}. Taps are ranked in row-major order: a larger
     * value or a NaN takes over, so ties keep the first maximum and the last NaN wins, as PyTorch's CPU
     * kernel; a window without taps gives −∞ and index −1.
     */
    public static void forward(float[] x, int xOff, int planes, int height, int width, PoolAxis h, PoolAxis w, float[] out, long[] idx,
            int outOff) {
        if (pairs(h) && pairs(w)) {
            forwardPairs(x, xOff, planes, height, width, h.outSize(), w.outSize(), out, idx, outOff);
        } else if (Simd.ENABLED) MaxPoolF32Vector.forward(x, xOff, planes, height, width, h, w, out, idx, outOff);
        else MaxPoolF32Scalar.forward(x, xOff, planes, height, width, h, w, out, idx, outOff);
    }

    /** Whether every window along {@code a} is two adjacent taps starting at 2·o: kernel 2, stride 2, no padding or dilation. */
    static boolean pairs(PoolAxis a) {
        if (a.step() != 1) {
            return false;
        }
        int[] first = a.first();
        int[] taps = a.taps();
        for (int o = 0; o < first.length; o++) {
            if (taps[o] != 2 || first[o] != 2 * o) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #forward} for 2x2 windows with stride 2 (LeNet's and VGG's pooling), [planes, oh, ow] outputs
     * with {@code 2·oh ≤ height}, {@code 2·ow ≤ width}: the Vector API kernel when {@link Simd#ENABLED}, else
     * its scalar twin. See {@link MaxPoolF32Vector#forwardPairs} for why and the measurements.
     */
    static void forwardPairs(float[] x, int xOff, int planes, int height, int width, int oh, int ow, float[] out, long[] idx, int outOff) {
        if (Simd.ENABLED) MaxPoolF32Vector.forwardPairs(x, xOff, planes, height, width, oh, ow, out, idx, outOff);
        else MaxPoolF32Scalar.forwardPairs(x, xOff, planes, height, width, oh, ow, out, idx, outOff, 0);
    }

    /**
     * {@code gx[gxOff + p·inArea + idx[p, k]] += g[p, k]} for each of {@code planes} planes of
     * {@code outArea} gradients at gOff (indices at idxOff); negative indices are skipped.
     */
    public static void backward(float[] g, int gOff, long[] idx, int idxOff, int planes, int outArea, float[] gx, int gxOff, int inArea) {
        for (int p = 0; p < planes; p++) {
            int base = gxOff + p * inArea;
            int go = gOff + p * outArea;
            int io = idxOff + p * outArea;
            for (int k = 0; k < outArea; k++) {
                long at = idx[io + k];
                if (at >= 0) {
                    gx[base + (int) at] += g[go + k];
                }
            }
        }
    }
}
