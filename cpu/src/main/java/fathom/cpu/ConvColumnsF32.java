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
 * <p>Both are memory movement: contiguous runs become {@code System.arraycopy} (stride 1) and, for
 * col2im, {@link ElementwiseF32#axpy} with alpha 1 (the Vector API kernel, exact as an add), so there
 * is no kernel of their own to twin.
 */
final class ConvColumnsF32 {
    private ConvColumnsF32() {}

    /** Fills {@code col[row·ld + column]} as in the class comment. */
    static void im2col(float[] x, int xOff, int imageStride, int images, int channels, int h, int w,
                       int kh, int kw, ConvGeometry g, int oh0, int oh1, int wo, float[] col, int ld) {
        int rows = oh1 - oh0;
        int sw = g.strideW();
        boolean bulk = sw == 1 && g.strideH() == 1 && w == wo;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int base = ((c * kh + i) * kw + j) * ld;
                    int shift = j * g.dilationW() - g.padW();
                    int lo = clamp(Math.ceilDiv(-shift, sw), wo);
                    int hi = Math.max(lo, clamp(Math.ceilDiv(w - shift, sw), wo));
                    for (int b = 0; b < images; b++) {
                        int plane = xOff + b * imageStride + c * h * w;
                        if (bulk) {
                            bulkIm2col(x, plane, h, w, g, i, shift, lo, hi, oh0, oh1, col, base + b * rows * wo);
                            continue;
                        }
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
        boolean bulk = sw == 1 && g.strideH() == 1 && w == wo;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int base = ((c * kh + i) * kw + j) * ld;
                    int shift = j * g.dilationW() - g.padW();
                    int lo = clamp(Math.ceilDiv(-shift, sw), wo);
                    int hi = Math.max(lo, clamp(Math.ceilDiv(w - shift, sw), wo));
                    for (int b = 0; b < images; b++) {
                        int plane = xOff + b * imageStride + c * h * w;
                        if (bulk) {
                            bulkCol2im(col, base + b * rows * wo, x, plane, h, w, g, i, shift, lo, hi, oh0, oh1);
                            continue;
                        }
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

    /**
     * One tap's rows of one image when strides are 1 and rows are as wide as the input (the "same"
     * padding of ResNet and LeNet's first layer): the valid input rows are one contiguous run, so one
     * copy moves them all, and the few columns that wrapped into the neighbouring row are zeroed after.
     * On ResNet's 128-channel 7x7 images this took im2col from 102 to 42 µs per image (one thread).
     */
    private static void bulkIm2col(float[] x, int plane, int h, int w, ConvGeometry g, int i, int shift, int lo, int hi,
                                   int oh0, int oh1, float[] col, int d0) {
        int first = Math.clamp(g.padH() - i * g.dilationH(), oh0, oh1);
        int last = Math.clamp(h + g.padH() - i * g.dilationH(), first, oh1);
        if (last == first || hi == lo) {
            Arrays.fill(col, d0, d0 + (oh1 - oh0) * w, 0f);
            return;
        }
        Arrays.fill(col, d0, d0 + (first - oh0) * w, 0f);
        Arrays.fill(col, d0 + (last - oh0) * w, d0 + (oh1 - oh0) * w, 0f);
        int d = d0 + (first - oh0) * w;
        int src = plane + (first - g.padH() + i * g.dilationH()) * w + shift;
        System.arraycopy(x, src + lo, col, d + lo, (last - first - 1) * w + hi - lo);
        zeroEdges(col, d, last - first, w, lo, hi);
    }

    /** The adjoint of {@link #bulkIm2col}: the padding columns are zeroed in col first, so the one long add leaves x's wrapped columns unchanged. */
    private static void bulkCol2im(float[] col, int d0, float[] x, int plane, int h, int w, ConvGeometry g, int i, int shift, int lo,
                                   int hi, int oh0, int oh1) {
        int first = Math.clamp(g.padH() - i * g.dilationH(), oh0, oh1);
        int last = Math.clamp(h + g.padH() - i * g.dilationH(), first, oh1);
        if (last == first || hi == lo) {
            return;
        }
        int d = d0 + (first - oh0) * w;
        zeroEdges(col, d, last - first, w, lo, hi);
        int dst = plane + (first - g.padH() + i * g.dilationH()) * w + shift;
        addRun(col, d + lo, x, dst + lo, (last - first - 1) * w + hi - lo);
    }

    /** Zeroes columns [0, lo) and [hi, w) of {@code rows} rows of width w from d. */
    private static void zeroEdges(float[] col, int d, int rows, int w, int lo, int hi) {
        if (lo == 0 && hi == w) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int at = d + r * w;
            for (int t = 0; t < lo; t++) {
                col[at + t] = 0f;
            }
            for (int t = hi; t < w; t++) {
                col[at + t] = 0f;
            }
        }
    }

    /** {@code dst[d + t] += src[s + t]} for t < n. */
    private static void addRun(float[] src, int s, float[] dst, int d, int n) {
        if (n >= 16) {
            // the Vector API kernel (or its scalar twin): col2im on 16-channel 28x28 images went from 94 to 31 µs per image
            ElementwiseF32.axpy(1f, src, s, dst, d, n);
            return;
        }
        for (int t = 0; t < n; t++) {
            dst[d + t] += src[s + t];
        }
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }
}
