package fathom.backend;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * The reference loops behind {@link Backend}'s pooling defaults: one output element at a time, any
 * strided view, any floating dtype, arithmetic in double. Faster backends are tested against these.
 */
final class PoolingReference {
    private PoolingReference() {}

    /** Values and int64 plane-flat indices of the window maxima of x [N, C, H, W], in PyTorch's scan order. */
    static Tensor[] maxPool2d(Tensor x, PoolAxis h, PoolAxis w) {
        int n = x.size(0);
        int c = x.size(1);
        int width = x.size(3);
        int oh = h.outSize();
        int ow = w.outSize();
        Shape shape = Shape.of(n, c, oh, ow);
        Tensor out = Tensors.zeros(shape, x.dtype());
        Tensor idx = Tensors.zeros(shape, DType.INT64);
        Storage in = x.storage();
        Storage o = out.storage();
        long[] ix = idx.storage().longs();
        int[] s = x.strides();
        int at = 0;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int plane = x.offset() + b * s[0] + ch * s[1];
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++, at++) {
                        double best = Double.NEGATIVE_INFINITY;
                        long arg = h.taps()[i] > 0 && w.taps()[j] > 0 ? (long) h.first()[i] * width + w.first()[j] : -1;
                        for (int p = 0; p < h.taps()[i]; p++) {
                            int r = h.first()[i] + p * h.step();
                            for (int q = 0; q < w.taps()[j]; q++) {
                                int col = w.first()[j] + q * w.step();
                                double v = in.getDouble(plane + r * s[2] + col * s[3]);
                                // PyTorch's rule: a larger value or any NaN takes over, so ties keep the first and NaN propagates
                                if (v > best || Double.isNaN(v)) {
                                    best = v;
                                    arg = (long) r * width + col;
                                }
                            }
                        }
                        o.setDouble(at, best);
                        ix[at] = arg;
                    }
                }
            }
        }
        return new Tensor[] {out, idx};
    }

    /** g [N, C, OH, OW] added into a zero tensor of {@code inputShape} at each plane's {@code indices}; negative indices are skipped. */
    static Tensor maxPoolBackward(Tensor g, Tensor indices, Shape inputShape) {
        Tensor gx = Tensors.zeros(inputShape, g.dtype());
        int planes = inputShape.size(0) * inputShape.size(1);
        int area = inputShape.size(2) * inputShape.size(3);
        int per = planes == 0 ? 0 : g.numel() / planes;
        int[] go = Strides.offsets(g, g.shape());
        int[] io = Strides.offsets(indices, indices.shape());
        Storage gs = g.storage();
        Storage is = indices.storage();
        Storage out = gx.storage();
        for (int k = 0; k < go.length; k++) {
            long at = is.getLong(io[k]);
            if (at >= 0) {
                int target = (k / per) * area + (int) at;
                out.setDouble(target, out.getDouble(target) + gs.getDouble(go[k]));
            }
        }
        return gx;
    }

    /** Window sums of x [N, C, H, W], each divided by {@code divisor[oh·OW + ow]}. */
    static Tensor avgPool2d(Tensor x, PoolAxis h, PoolAxis w, double[] divisor) {
        int n = x.size(0);
        int c = x.size(1);
        int oh = h.outSize();
        int ow = w.outSize();
        Tensor out = Tensors.zeros(Shape.of(n, c, oh, ow), x.dtype());
        Storage in = x.storage();
        Storage o = out.storage();
        int[] s = x.strides();
        int at = 0;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int plane = x.offset() + b * s[0] + ch * s[1];
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++, at++) {
                        double sum = 0;
                        for (int p = 0; p < h.taps()[i]; p++) {
                            for (int q = 0; q < w.taps()[j]; q++) {
                                sum += in.getDouble(plane + (h.first()[i] + p * h.step()) * s[2] + (w.first()[j] + q * w.step()) * s[3]);
                            }
                        }
                        o.setDouble(at, sum / divisor[i * ow + j]);
                    }
                }
            }
        }
        return out;
    }

    /** The gradient of {@link #avgPool2d}: each g[oh, ow] / divisor spread over its window. */
    static Tensor avgPool2dBackward(Tensor g, PoolAxis h, PoolAxis w, double[] divisor, Shape inputShape) {
        Tensor gx = Tensors.zeros(inputShape, g.dtype());
        int planes = inputShape.size(0) * inputShape.size(1);
        int height = inputShape.size(2);
        int width = inputShape.size(3);
        int oh = h.outSize();
        int ow = w.outSize();
        int[] go = Strides.offsets(g, g.shape());
        Storage gs = g.storage();
        double[] acc = new double[height * width];
        Storage out = gx.storage();
        int at = 0;
        for (int pl = 0; pl < planes; pl++) {
            java.util.Arrays.fill(acc, 0);
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, at++) {
                    double v = gs.getDouble(go[at]) / divisor[i * ow + j];
                    for (int p = 0; p < h.taps()[i]; p++) {
                        for (int q = 0; q < w.taps()[j]; q++) {
                            acc[(h.first()[i] + p * h.step()) * width + w.first()[j] + q * w.step()] += v;
                        }
                    }
                }
            }
            for (int k = 0; k < acc.length; k++) {
                out.setDouble(pl * acc.length + k, acc[k]);
            }
        }
        return gx;
    }
}
