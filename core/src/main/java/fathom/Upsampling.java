package fathom;

import java.util.Arrays;

/**
 * Resizing of images and sequences (PyTorch's {@code F.interpolate} in modes {@code nearest} and
 * {@code bilinear}) and the pixel (un)shuffle rearrangements, all composed of differentiable views,
 * index selections and element-wise ops.
 *
 * <p>Source positions follow PyTorch's index formulas exactly: nearest reads
 * {@code min(⌊dst·scale⌋, in − 1)}; bilinear reads {@code dst·(in − 1)/(out − 1)} with
 * {@code alignCorners}, else {@code max((dst + ½)·scale − ½, 0)}, interpolating between the two
 * neighbours. {@code scale} is {@code 1/scaleFactor} when a scale factor was given (PyTorch's default
 * {@code recompute_scale_factor=None}), else {@code in/out}. Index arithmetic runs in float32 where
 * PyTorch's CPU kernels use it (nearest always, bilinear for float32 input), so the chosen neighbours agree.
 */
public final class Upsampling {
    /** The interpolation mode. */
    public enum Mode {
        /** The nearest source element (PyTorch's {@code 'nearest'}); for [N, C, L] and [N, C, H, W] inputs. */
        NEAREST,
        /** Linear in height and width (PyTorch's {@code 'bilinear'}); for [N, C, H, W] inputs. */
        BILINEAR
    }

    private Upsampling() {}

    /** x [N, C, H, W] (or [N, C, L] for nearest) resized to {@code size} ([outH, outW], or [outL]). */
    public static Tensor interpolate(Tensor x, int[] size, Mode mode, boolean alignCorners) {
        int spatial = checkInput(x, mode, alignCorners);
        if (size == null || size.length != spatial) {
            throw new IllegalArgumentException("interpolate: size needs " + spatial + " values for input " + x.shape() + ", got "
                    + Arrays.toString(size));
        }
        for (int s : size) {
            if (s <= 0) {
                throw new IllegalArgumentException("interpolate: output sizes must be positive, got " + Arrays.toString(size));
            }
        }
        return resize(x, size, new double[spatial], mode, alignCorners);
    }

    /** x resized by {@code scaleFactor} (one value for every spatial dimension, or one per dimension): out = ⌊in·scale⌋. */
    public static Tensor interpolate(Tensor x, double[] scaleFactor, Mode mode, boolean alignCorners) {
        int spatial = checkInput(x, mode, alignCorners);
        if (scaleFactor == null || scaleFactor.length != 1 && scaleFactor.length != spatial) {
            throw new IllegalArgumentException("interpolate: scaleFactor needs 1 or " + spatial + " values for input " + x.shape()
                    + ", got " + Arrays.toString(scaleFactor));
        }
        int[] size = new int[spatial];
        double[] scales = new double[spatial];
        for (int d = 0; d < spatial; d++) {
            scales[d] = scaleFactor.length == 1 ? scaleFactor[0] : scaleFactor[d];
            if (!(scales[d] > 0) || Double.isInfinite(scales[d])) {
                throw new IllegalArgumentException("interpolate: scale factors must be positive and finite, got " + Arrays.toString(scaleFactor));
            }
            size[d] = (int) Math.floor(x.size(2 + d) * scales[d]);
            if (size[d] <= 0) {
                throw new ShapeException("interpolate: scale factor " + scales[d] + " makes spatial dimension " + d + " of input "
                        + x.shape() + " empty");
            }
        }
        return resize(x, size, scales, mode, alignCorners);
    }

    private static int checkInput(Tensor x, Mode mode, boolean alignCorners) {
        if (!x.dtype().isFloating()) {
            throw new DTypeException("interpolate needs a floating input, got " + x.dtype());
        }
        if (mode == Mode.BILINEAR && x.dim() != 4) {
            throw new ShapeException("interpolate: bilinear mode expects an input [N, C, H, W], got " + x.shape());
        }
        if (mode == Mode.NEAREST && x.dim() != 3 && x.dim() != 4) {
            throw new ShapeException("interpolate: nearest mode expects an input [N, C, L] or [N, C, H, W], got " + x.shape());
        }
        if (mode == Mode.NEAREST && alignCorners) {
            throw new IllegalArgumentException("interpolate: alignCorners can only be set with the interpolating mode bilinear");
        }
        return x.dim() - 2;
    }

    /** scales[d] > 0 where a scale factor was given, 0 where the size was. */
    private static Tensor resize(Tensor x, int[] size, double[] scales, Mode mode, boolean alignCorners) {
        boolean single = x.dtype() == DType.FLOAT32;
        Tensor y = x;
        for (int d = 0; d < size.length; d++) {
            int dim = 2 + d;
            int in = x.size(dim);
            // nearest index arithmetic is float32 whatever the dtype, as in PyTorch's nearest_idx
            y = mode == Mode.NEAREST ? nearest(y, dim, in, size[d], scales[d], true)
                    : linear(y, dim, in, size[d], scales[d], alignCorners, single);
        }
        return y;
    }

    private static Tensor nearest(Tensor x, int dim, int in, int out, double scaleFactor, boolean single) {
        long[] src = new long[out];
        boolean repeats = out % in == 0;
        int r = out / in;
        double scale = scaleOf(in, out, scaleFactor, single);
        for (int o = 0; o < out; o++) {
            if (out == in) {
                src[o] = o;
            } else if (out == 2 * in) {
                src[o] = o >> 1;
            } else {
                double s = single ? (float) ((float) o * (float) scale) : o * scale;
                src[o] = Math.min((long) Math.floor(s), in - 1);
            }
            repeats &= src[o] == o / Math.max(r, 1);
        }
        if (repeats) {
            // each element repeated r times: a broadcast view and one copy, cheaper than an index gather
            int[] wide = insert(x.shape().toArray(), dim + 1, r);
            int[] unit = insert(x.shape().toArray(), dim + 1, 1);
            int[] target = x.shape().toArray();
            target[dim] = out;
            return x.reshape(unit).expand(wide).reshape(target);
        }
        return x.indexSelect(dim, Tensors.of(src));
    }

    private static int[] insert(int[] sizes, int at, int value) {
        int[] out = new int[sizes.length + 1];
        System.arraycopy(sizes, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(sizes, at, out, at + 1, sizes.length - at);
        return out;
    }

    private static Tensor linear(Tensor x, int dim, int in, int out, double scaleFactor, boolean alignCorners, boolean single) {
        if (out == in) {
            return x; // PyTorch copies when the sizes agree, whatever the scale factor
        }
        long[] i0 = new long[out];
        long[] i1 = new long[out];
        double[] l0 = new double[out];
        double[] l1 = new double[out];
        double ratio = alignCorners ? (out > 1 ? round((double) (in - 1) / (out - 1), single) : 0) : scaleOf(in, out, scaleFactor, single);
        for (int o = 0; o < out; o++) {
            double src = alignCorners ? round(ratio * o, single) : Math.max(round(ratio * (o + 0.5) - 0.5, single), 0);
            i0[o] = Math.min((long) Math.floor(src), in - 1);
            i1[o] = i0[o] + (i0[o] < in - 1 ? 1 : 0);
            l1[o] = Math.min(Math.max(round(src - i0[o], single), 0), 1);
            l0[o] = round(1 - l1[o], single);
        }
        int[] lambdaShape = new int[x.dim() - dim];
        Arrays.fill(lambdaShape, 1);
        lambdaShape[0] = out; // [out, 1, ...]: broadcasts along dim
        Tensor w0 = Tensors.of(l0, lambdaShape).to(x.dtype());
        Tensor w1 = Tensors.of(l1, lambdaShape).to(x.dtype());
        return x.indexSelect(dim, Tensors.of(i0)).mul(w0).add(x.indexSelect(dim, Tensors.of(i1)).mul(w1));
    }

    /** PyTorch's compute_scales_value: 1/scaleFactor when one was given, else in/out (in float32 for float32 input). */
    private static double scaleOf(int in, int out, double scaleFactor, boolean single) {
        return scaleFactor > 0 ? round(1.0 / scaleFactor, single) : single ? (float) in / out : (double) in / out;
    }

    private static double round(double v, boolean single) {
        return single ? (float) v : v;
    }

    /** [*, C·r², H, W] → [*, C, H·r, W·r]: each group of r² channels becomes an r × r block of pixels (PyTorch's {@code pixel_shuffle}). */
    public static Tensor pixelShuffle(Tensor x, int upscaleFactor) {
        int r = upscaleFactor;
        if (r <= 0) {
            throw new IllegalArgumentException("pixelShuffle: upscaleFactor must be positive, got " + r);
        }
        if (x.dim() < 3 || x.size(-3) % (r * r) != 0) {
            throw new ShapeException("pixelShuffle(" + r + ") expects an input [*, C·" + r * r + ", H, W] with channels divisible by "
                    + r * r + ", got " + x.shape());
        }
        int k = x.dim() - 3;
        int[] lead = Arrays.copyOf(x.shape().toArray(), k);
        int c = x.size(-3) / (r * r);
        int h = x.size(-2);
        int w = x.size(-1);
        Tensor split = x.reshape(concat(lead, c, r, r, h, w)); // [*, C, r, r, H, W]
        Tensor moved = split.permute(concat(range(k), k, k + 3, k + 1, k + 4, k + 2)); // [*, C, H, r, W, r]
        return moved.reshape(concat(lead, c, h * r, w * r));
    }

    /** [*, C, H·r, W·r] → [*, C·r², H, W], the inverse of {@link #pixelShuffle} (PyTorch's {@code pixel_unshuffle}). */
    public static Tensor pixelUnshuffle(Tensor x, int downscaleFactor) {
        int r = downscaleFactor;
        if (r <= 0) {
            throw new IllegalArgumentException("pixelUnshuffle: downscaleFactor must be positive, got " + r);
        }
        if (x.dim() < 3 || x.size(-2) % r != 0 || x.size(-1) % r != 0) {
            throw new ShapeException("pixelUnshuffle(" + r + ") expects an input [*, C, H, W] with H and W divisible by " + r + ", got "
                    + x.shape());
        }
        int k = x.dim() - 3;
        int[] lead = Arrays.copyOf(x.shape().toArray(), k);
        int c = x.size(-3);
        int h = x.size(-2) / r;
        int w = x.size(-1) / r;
        Tensor split = x.reshape(concat(lead, c, h, r, w, r)); // [*, C, H, r, W, r]
        Tensor moved = split.permute(concat(range(k), k, k + 2, k + 4, k + 1, k + 3)); // [*, C, r, r, H, W]
        return moved.reshape(concat(lead, c * r * r, h, w));
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

    private static int[] concat(int[] head, int... tail) {
        int[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
