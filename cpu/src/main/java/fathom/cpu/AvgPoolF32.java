package fathom.cpu;

import fathom.backend.PoolAxis;

/**
 * Float32 average pooling (plain or adaptive) over consecutive row-major [H, W] planes and its
 * backward pass: window sums divided by a divisor per output position. Runs the Vector API kernels
 * when {@link Simd#ENABLED} and the scalar twins otherwise; single-threaded, the caller splits planes.
 */
public final class AvgPoolF32 {
    private AvgPoolF32() {}

    /** out[p, i, j] = (Σ over window (i, j) of plane p) / divisor[i·OW + j], for {@code planes} planes of x at xOff into out at outOff. */
    public static void forward(float[] x, int xOff, int planes, int height, int width, PoolAxis h, PoolAxis w, double[] divisor, float[] out,
            int outOff) {
        if (Simd.ENABLED) AvgPoolF32Vector.forward(x, xOff, planes, height, width, h, w, divisor, out, outOff);
        else AvgPoolF32Scalar.forward(x, xOff, planes, height, width, h, w, divisor, out, outOff);
    }

    /** gx[p] += each g[p, i, j] / divisor[i·OW + j] spread over window (i, j), for {@code planes} planes; gx must start at zero. */
    public static void backward(float[] g, int gOff, int planes, int height, int width, PoolAxis h, PoolAxis w, double[] divisor, float[] gx,
            int gxOff) {
        if (Simd.ENABLED) AvgPoolF32Vector.backward(g, gOff, planes, height, width, h, w, divisor, gx, gxOff);
        else AvgPoolF32Scalar.backward(g, gOff, planes, height, width, h, w, divisor, gx, gxOff);
    }
}
