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
        if (Simd.ENABLED) MaxPoolF32Vector.forward(x, xOff, planes, height, width, h, w, out, idx, outOff);
        else MaxPoolF32Scalar.forward(x, xOff, planes, height, width, h, w, out, idx, outOff);
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
