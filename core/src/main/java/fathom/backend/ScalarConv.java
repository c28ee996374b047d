package fathom.backend;

import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * The reference loops of the convolution ops: direct sums over every output element in float64, for
 * any floating dtype and any strided views. Slow and plain on purpose: they are what the fast kernels
 * are tested against (the {@link Backend} defaults call them).
 */
final class ScalarConv {
    private ScalarConv() {}

    /** The elements of x in row-major order, as doubles. */
    private static double[] values(Tensor x) {
        int[] off = Strides.offsets(x, x.shape());
        double[] v = new double[off.length];
        Storage s = x.storage();
        for (int i = 0; i < off.length; i++) {
            v[i] = s.getDouble(off[i]);
        }
        return v;
    }

    private static Tensor result(double[] v, Shape shape, Tensor like) {
        Tensor out = Tensors.zeros(shape, like.dtype());
        Storage o = out.storage();
        for (int i = 0; i < v.length; i++) {
            o.setDouble(i, v[i]);
        }
        return out;
    }

    /** y[n, o, oh, ow] = bias[o] + Σ_{c, i, j} x[n, g·C/G + c, oh·sh − ph + i·dh, ow·sw − pw + j·dw] · w[o, c, i, j], g = o / (O/G). */
    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvGeometry p) {
        int n = x.size(0), cIn = x.size(1), h = x.size(2), wd = x.size(3);
        int cOut = w.size(0), cg = w.size(1), kh = w.size(2), kw = w.size(3);
        int oPerG = cOut / p.groups();
        int ho = p.outputHeight(h, kh), wo = p.outputWidth(wd, kw);
        double[] xv = values(x);
        double[] wv = values(w);
        double[] bv = bias == null ? new double[cOut] : values(bias);
        double[] y = new double[n * cOut * ho * wo];
        int at = 0;
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < cOut; o++) {
                int c0 = o / oPerG * cg;
                for (int oh = 0; oh < ho; oh++) {
                    for (int ow = 0; ow < wo; ow++) {
                        double acc = bv[o];
                        for (int c = 0; c < cg; c++) {
                            for (int i = 0; i < kh; i++) {
                                int ih = oh * p.strideH() - p.padH() + i * p.dilationH();
                                if (ih < 0 || ih >= h) {
                                    continue;
                                }
                                for (int j = 0; j < kw; j++) {
                                    int iw = ow * p.strideW() - p.padW() + j * p.dilationW();
                                    if (iw >= 0 && iw < wd) {
                                        acc += xv[((b * cIn + c0 + c) * h + ih) * wd + iw] * wv[((o * cg + c) * kh + i) * kw + j];
                                    }
                                }
                            }
                        }
                        y[at++] = acc;
                    }
                }
            }
        }
        return result(y, Shape.of(n, cOut, ho, wo), x);
    }

    /**
     * The transposed convolution: every x[n, ci, ih, iw]·w[ci, co, i, j] is added to
     * out[n, g·Cout/G + co, ih·sh − ph + i·dh, iw·sw − pw + j·dw] where that lies inside [outH, outW]; then bias.
     */
    static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, ConvGeometry p, int outH, int outW) {
        int n = x.size(0), cIn = x.size(1), h = x.size(2), wd = x.size(3);
        int cg = w.size(1), kh = w.size(2), kw = w.size(3);
        int inPerG = cIn / p.groups();
        int cOut = cg * p.groups();
        double[] xv = values(x);
        double[] wv = values(w);
        double[] y = new double[n * cOut * outH * outW];
        for (int b = 0; b < n; b++) {
            for (int ci = 0; ci < cIn; ci++) {
                int co0 = ci / inPerG * cg;
                for (int ih = 0; ih < h; ih++) {
                    for (int iw = 0; iw < wd; iw++) {
                        double v = xv[((b * cIn + ci) * h + ih) * wd + iw];
                        for (int co = 0; co < cg; co++) {
                            for (int i = 0; i < kh; i++) {
                                int oh = ih * p.strideH() - p.padH() + i * p.dilationH();
                                if (oh < 0 || oh >= outH) {
                                    continue;
                                }
                                for (int j = 0; j < kw; j++) {
                                    int ow = iw * p.strideW() - p.padW() + j * p.dilationW();
                                    if (ow >= 0 && ow < outW) {
                                        y[((b * cOut + co0 + co) * outH + oh) * outW + ow] += v * wv[((ci * cg + co) * kh + i) * kw + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if (bias != null) {
            double[] bv = values(bias);
            int plane = outH * outW;
            for (int i = 0; i < y.length; i++) {
                y[i] += bv[i / plane % cOut];
            }
        }
        return result(y, Shape.of(n, cOut, outH, outW), x);
    }

    /** gw[o, c, i, j] = Σ_{n, oh, ow} gy[n, o, oh, ow] · x[n, g·C/G + c, oh·sh − ph + i·dh, ow·sw − pw + j·dw], g = o / (O/G). */
    static Tensor conv2dWeightGrad(Tensor x, Tensor gy, int kh, int kw, ConvGeometry p) {
        int n = x.size(0), cIn = x.size(1), h = x.size(2), wd = x.size(3);
        int cOut = gy.size(1), ho = gy.size(2), wo = gy.size(3);
        int cg = cIn / p.groups();
        int oPerG = cOut / p.groups();
        double[] xv = values(x);
        double[] gv = values(gy);
        double[] gw = new double[cOut * cg * kh * kw];
        int at = 0;
        for (int o = 0; o < cOut; o++) {
            int c0 = o / oPerG * cg;
            for (int c = 0; c < cg; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        double acc = 0;
                        for (int b = 0; b < n; b++) {
                            for (int oh = 0; oh < ho; oh++) {
                                int ih = oh * p.strideH() - p.padH() + i * p.dilationH();
                                if (ih < 0 || ih >= h) {
                                    continue;
                                }
                                for (int ow = 0; ow < wo; ow++) {
                                    int iw = ow * p.strideW() - p.padW() + j * p.dilationW();
                                    if (iw >= 0 && iw < wd) {
                                        acc += gv[((b * cOut + o) * ho + oh) * wo + ow] * xv[((b * cIn + c0 + c) * h + ih) * wd + iw];
                                    }
                                }
                            }
                        }
                        gw[at++] = acc;
                    }
                }
            }
        }
        return result(gw, Shape.of(cOut, cg, kh, kw), x);
    }
}
