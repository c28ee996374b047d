package fathom.cpu;

import fathom.backend.ConvGeometry;
import java.util.Arrays;

/**
 * The column matrix of a 2-d convolution (im2col) and its adjoint (col2im), float32, for a tile of
 * {@code images} consecutive images and output rows {@code [oh0, oh1)}.
 *
 * <p>Column layout: row {@code (c·kH + i)·kW + j} (channel c of the group, kernel tap (i, j)), column
 * {@code b·rows·Wo + (oh − oh0)·Wo + ow}; it holds the input pixel that tap reads for output pixel (oh,
 * ow) of image b, or 0 where the tap falls in the padding. So the convolution of the tile is the
 * product {@code W [O/G, C/G·kH·kW] · col}. The image side {@code x} is row-major [images, C, H, W] from
 * {@code xOff} (the first channel of the group), {@code imageStride} apart.
 *
 * <p>Both are memory movement: contiguous runs become {@code System.arraycopy} (stride 1) and plain
 * add loops, which C2 vectorizes, so there is no Vector API twin.
 */
final class ConvColumnsF32 {
    private ConvColumnsF32() {}

    /** Fills {@code col[row·ld + column]} as in the class comment. */
    static void im2col(float[] x, int xOff, int imageStride, int images, int channels, int h, int w,
                       int kh, int kw, ConvGeometry g, int oh0, int oh1, int wo, float[] col, int ld) {
        int rows = oh1 - oh0;
        int sw = g.strideW();
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int base = ((c * kh + i) * kw + j) * ld;
                    int shift = j * g.dilationW() - g.padW();
                    int lo = clamp(Math.ceilDiv(-shift, sw), wo);
                    int hi = Math.max(lo, clamp(Math.ceilDiv(w - shift, sw), wo));
                    for (int b = 0; b < images; b++) {
                        int plane = xOff + b * imageStride + c * h * w;
                        for (int oh = oh0; oh < oh1; oh++) {
                            int d = base + (b * rows + oh - oh0) * wo;
                            int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
                            if (ih < 0 || ih >= h) {
                                Arrays.fill(col, d, d + wo, 0f);
                                continue;
                            }
                            Arrays.fill(col, d, d + lo, 0f);
                            Arrays.fill(col, d + hi, d + wo, 0f);
                            int src = plane + ih * w + shift;
                            if (sw == 1) {
                                System.arraycopy(x, src + lo, col, d + lo, hi - lo);
                            } else {
                                for (int ow = lo; ow < hi; ow++) {
                                    col[d + ow] = x[src + ow * sw];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds each column entry into the input pixel it was read from: the adjoint of {@link #im2col}, padding taps dropped. */
    static void col2im(float[] col, int ld, float[] x, int xOff, int imageStride, int images, int channels, int h, int w,
                       int kh, int kw, ConvGeometry g, int oh0, int oh1, int wo) {
        int rows = oh1 - oh0;
        int sw = g.strideW();
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int base = ((c * kh + i) * kw + j) * ld;
                    int shift = j * g.dilationW() - g.padW();
                    int lo = clamp(Math.ceilDiv(-shift, sw), wo);
                    int hi = Math.max(lo, clamp(Math.ceilDiv(w - shift, sw), wo));
                    for (int b = 0; b < images; b++) {
                        int plane = xOff + b * imageStride + c * h * w;
                        for (int oh = oh0; oh < oh1; oh++) {
                            int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
                            if (ih < 0 || ih >= h) {
                                continue;
                            }
                            int s = base + (b * rows + oh - oh0) * wo;
                            int dst = plane + ih * w + shift;
                            if (sw == 1) {
                                addRun(col, s + lo, x, dst + lo, hi - lo);
                            } else {
                                for (int ow = lo; ow < hi; ow++) {
                                    x[dst + ow * sw] += col[s + ow];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code dst[d + t] += src[s + t]} for t < n. */
    private static void addRun(float[] src, int s, float[] dst, int d, int n) {
        for (int t = 0; t < n; t++) {
            dst[d + t] += src[s + t];
        }
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }
}
