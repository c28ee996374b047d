package fathom;

import fathom.autograd.Op;
import fathom.backend.Backends;
import fathom.backend.ConvGeometry;
import java.util.Arrays;
import java.util.List;

/**
 * Convolutions as PyTorch's {@code torch.nn.functional}: {@code conv1d}, {@code conv2d} and
 * {@code convTranspose2d} with PyTorch's arguments in its order (stride, padding, [output padding,]
 * dilation, groups; for the transposed one groups before dilation, as PyTorch), bias nullable.
 *
 * <p>Each is one fused, differentiable op ({@link Op.Conv2d}, {@link Op.ConvTranspose2d}) whose gradients
 * are convolutions again; the bias is added inside the op, so its gradient is a plain sum. conv1d is
 * conv2d on the views [N, C, 1, L] and [O, C/groups, 1, K] (no copy). Unbatched inputs ([C, H, W], or
 * [C, L] for 1-d) are accepted, as in PyTorch. Operands are promoted to a common floating dtype. Shape
 * errors are {@link ShapeException}s naming the op and the shapes; bad stride, padding, dilation or
 * groups values are {@link IllegalArgumentException}s naming the argument.
 */
public final class Convolution {
    private Convolution() {}

    /** {@link #conv2d(Tensor, Tensor, Tensor, int[], ConvPadding, int[], int)} with stride 1, no padding, dilation 1, one group. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return conv2d(x, weight, bias, 1, 0, 1, 1);
    }

    /** conv2d with one stride and padding for both dimensions, dilation 1, one group. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, stride, padding, 1, 1);
    }

    /** conv2d with one stride, padding and dilation for both dimensions. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv2d(x, weight, bias, new int[] {stride, stride}, ConvPadding.of(padding), new int[] {dilation, dilation}, groups);
    }

    /** conv2d with padding {@code "same"} or {@code "valid"}. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        return conv2d(x, weight, bias, new int[] {stride, stride}, ConvPadding.of(padding), new int[] {dilation, dilation}, groups);
    }

    /**
     * y[n, o] = bias[o] + Σ_c x[n, c] ⋆ weight[o, c] (cross-correlation, over the channels of o's group),
     * for x [N, C, H, W] (or [C, H, W]), weight [O, C/groups, kH, kW], bias [O] or null, giving y [N, O,
     * Ho, Wo] with Ho = ⌊(H + padTop + padBottom − dilationH·(kH − 1) − 1) / strideH⌋ + 1 (likewise Wo).
     *
     * @param stride {sH, sW}, or one value for both
     * @param dilation {dH, dW}, or one value for both
     * @param groups input and output channels split into this many independent groups (groups = C with
     *     O = k·C is a depthwise convolution)
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, ConvPadding padding, int[] dilation, int groups) {
        int[] s = pair("stride", stride);
        int[] d = pair("dilation", dilation);
        if (x.dim() == 3) {
            return conv2d(x.unsqueeze(0), weight, bias, s, padding, d, groups).squeeze(0);
        }
        if (x.dim() != 4) {
            throw new ShapeException("conv2d: expected input [N, C, H, W] or unbatched [C, H, W], got " + x.shape());
        }
        if (weight.dim() != 4) {
            throw new ShapeException("conv2d: expected weight [out_channels, in_channels/groups, kH, kW], got " + weight.shape()
                    + " for input " + x.shape());
        }
        return forward("conv2d", x, weight, bias, s, padding, d, groups);
    }

    /** {@link #conv1d(Tensor, Tensor, Tensor, int, ConvPadding, int, int)} with stride 1, no padding, dilation 1, one group. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) {
        return conv1d(x, weight, bias, 1, ConvPadding.of(0), 1, 1);
    }

    /** conv1d with {@code padding} zeros at both ends. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv1d(x, weight, bias, stride, ConvPadding.of(padding), dilation, groups);
    }

    /** conv1d with padding {@code "same"} or {@code "valid"}. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        return conv1d(x, weight, bias, stride, ConvPadding.of(padding), dilation, groups);
    }

    /**
     * y[n, o] = bias[o] + Σ_c x[n, c] ⋆ weight[o, c], for x [N, C, L] (or [C, L]), weight [O, C/groups,
     * K], bias [O] or null, giving y [N, O, Lo] with Lo = ⌊(L + 2·padding − dilation·(K − 1) − 1) / stride⌋ + 1.
     * Runs as conv2d on [N, C, 1, L] views; {@code padding} is {@code ConvPadding.of(p)}, "same" or "valid".
     */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, ConvPadding padding, int dilation, int groups) {
        if (x.dim() == 2) {
            return conv1d(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        }
        if (x.dim() != 3) {
            throw new ShapeException("conv1d: expected input [N, C, L] or unbatched [C, L], got " + x.shape());
        }
        if (weight.dim() != 3) {
            throw new ShapeException("conv1d: expected weight [out_channels, in_channels/groups, K], got " + weight.shape()
                    + " for input " + x.shape());
        }
        if (padding == null) {
            throw new IllegalArgumentException("conv1d: padding must not be null (ConvPadding.of(0) for none)");
        }
        if (padding instanceof ConvPadding.Sizes p && p.height() != 0 && p.height() != p.width()) {
            throw new IllegalArgumentException("conv1d: padding has one size (ConvPadding.of(p)), got " + padding);
        }
        ConvPadding p2 = padding instanceof ConvPadding.Same ? padding : ConvPadding.of(0, padding.sides(1, 1, 1, 1)[1]);
        return forward("conv1d", x.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride}, p2, new int[] {1, dilation}, groups)
                .squeeze(2);
    }

    /** {@link #convTranspose2d(Tensor, Tensor, Tensor, int[], int[], int[], int, int[])} with stride 1 and no padding. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias) {
        return convTranspose2d(x, weight, bias, 1, 0, 0, 1, 1);
    }

    /** convTranspose2d with one value per argument for both dimensions. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding, int groups,
                                         int dilation) {
        return convTranspose2d(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {outputPadding}, groups,
                new int[] {dilation});
    }

    /**
     * The transposed convolution (the gradient of conv2d with respect to its input, sometimes called
     * deconvolution): every x[n, c, h, w]·weight[c, o] is added to y[n, o] at (h·sH − padH + i·dH,
     * w·sW − padW + j·dW), for x [N, C, H, W] (or [C, H, W]), weight [C, O/groups, kH, kW], bias [O] or
     * null, giving y [N, O, Ho, Wo] with Ho = (H − 1)·sH − 2·padH + dH·(kH − 1) + outputPaddingH + 1.
     *
     * <p>Each pair argument takes {h, w} or one value for both. {@code outputPadding} adds rows and
     * columns at the bottom and right (to pick among the input sizes a strided conv2d maps to one output
     * size) and must be smaller than the stride or the dilation, as in PyTorch.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        int[] s = pair("stride", stride);
        int[] p = pair("padding", padding);
        int[] op = pair("output_padding", outputPadding);
        int[] d = pair("dilation", dilation);
        if (x.dim() == 3) {
            return convTranspose2d(x.unsqueeze(0), weight, bias, s, p, op, groups, d).squeeze(0);
        }
        String name = "conv_transpose2d";
        if (x.dim() != 4) {
            throw new ShapeException(name + ": expected input [N, C, H, W] or unbatched [C, H, W], got " + x.shape());
        }
        if (weight.dim() != 4) {
            throw new ShapeException(name + ": expected weight [in_channels, out_channels/groups, kH, kW], got " + weight.shape()
                    + " for input " + x.shape());
        }
        ConvGeometry geometry = geometry(name, s, p, d, groups);
        for (int i = 0; i < 2; i++) {
            if (op[i] < 0 || op[i] >= s[i] && op[i] >= d[i]) {
                throw new IllegalArgumentException(name + ": output_padding must be ≥ 0 and smaller than either stride or dilation, got "
                        + "output_padding " + Arrays.toString(op) + ", stride " + Arrays.toString(s) + ", dilation " + Arrays.toString(d));
            }
        }
        if (x.size(1) != weight.size(0) || weight.size(0) % groups != 0) {
            throw new ShapeException(name + ": input " + x.shape() + " has " + x.size(1) + " channels, weight " + weight.shape()
                    + " expects " + weight.size(0) + (weight.size(0) % groups != 0 ? ", which groups " + groups + " does not divide" : ""));
        }
        int outChannels = weight.size(1) * groups;
        int ho = geometry.transposedHeight(x.size(2), weight.size(2), op[0]);
        int wo = geometry.transposedWidth(x.size(3), weight.size(3), op[1]);
        if (ho < 1 || wo < 1) {
            throw new ShapeException(name + ": input " + x.shape() + " with weight " + weight.shape() + ", stride " + Arrays.toString(s)
                    + ", padding " + Arrays.toString(p) + " gives a non-positive output size " + ho + "x" + wo);
        }
        Tensor[] in = promote(name, x, weight, checkBias(name, bias, outChannels, weight));
        Tensor out = Backends.current().convTranspose2d(in[0], in[1], bias == null ? null : in[2], geometry, ho, wo);
        return Autograd.record(new Op.ConvTranspose2d(geometry, op[0], op[1]), out, in);
    }

    private static Tensor forward(String name, Tensor x, Tensor weight, Tensor bias, int[] s, ConvPadding padding, int[] d, int groups) {
        if (padding == null) {
            throw new IllegalArgumentException(name + ": padding must not be null (ConvPadding.of(0) for none)");
        }
        if (groups < 1) {
            throw new IllegalArgumentException(name + ": groups must be ≥ 1, got " + groups);
        }
        int outChannels = weight.size(0);
        if (x.size(1) != weight.size(1) * groups || outChannels % groups != 0) {
            throw new ShapeException(name + ": input " + x.shape() + " has " + x.size(1) + " channels, but weight " + weight.shape()
                    + " with groups " + groups + " expects " + weight.size(1) * groups
                    + (outChannels % groups != 0 ? " and out_channels " + outChannels + " divisible by groups" : ""));
        }
        int kh = weight.size(2);
        int kw = weight.size(3);
        if (padding instanceof ConvPadding.Same && (s[0] != 1 || s[1] != 1)) {
            throw new IllegalArgumentException(name + ": padding=\"same\" needs stride 1, got stride " + Arrays.toString(s));
        }
        int[] sides = padding.sides(kh, kw, d[0], d[1]);
        if (sides[2] != sides[0] || sides[3] != sides[1]) {
            // "same" with an even dilated kernel: the odd extra row/column goes below/right, as PyTorch pads it
            x = padEnd(padEnd(x, 2, sides[2] - sides[0]), 3, sides[3] - sides[1]);
        }
        ConvGeometry geometry = geometry(name, s, new int[] {sides[0], sides[1]}, d, groups);
        int ho = geometry.outputHeight(x.size(2), kh);
        int wo = geometry.outputWidth(x.size(3), kw);
        if (ho < 1 || wo < 1) {
            throw new ShapeException(name + ": input " + x.shape() + " padded by " + padding + " is smaller than the kernel of weight "
                    + weight.shape() + " dilated by " + Arrays.toString(d) + " (output size would be " + ho + "x" + wo + ")");
        }
        Tensor[] in = promote(name, x, weight, checkBias(name, bias, outChannels, weight));
        Tensor out = Backends.current().conv2d(in[0], in[1], bias == null ? null : in[2], geometry);
        return Autograd.record(new Op.Conv2d(geometry), out, in);
    }

    private static Tensor checkBias(String name, Tensor bias, int outChannels, Tensor weight) {
        if (bias != null && (bias.dim() != 1 || bias.size(0) != outChannels)) {
            throw new ShapeException(name + ": expected bias [" + outChannels + "] for weight " + weight.shape() + ", got " + bias.shape());
        }
        return bias;
    }

    /** x, weight and bias (if any) in their common floating dtype; the inputs the op records. */
    private static Tensor[] promote(String name, Tensor x, Tensor weight, Tensor bias) {
        DType t = DType.promote(x.dtype(), weight.dtype());
        if (bias != null) {
            t = DType.promote(t, bias.dtype());
        }
        if (!t.isFloating()) {
            throw new DTypeException(name + " needs floating tensors, got input " + x.dtype() + " and weight " + weight.dtype());
        }
        return bias == null ? new Tensor[] {x.to(t), weight.to(t)} : new Tensor[] {x.to(t), weight.to(t), bias.to(t)};
    }

    private static ConvGeometry geometry(String name, int[] s, int[] p, int[] d, int groups) {
        try {
            return new ConvGeometry(s[0], s[1], p[0], p[1], d[0], d[1], groups);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** {h, w} from a one- or two-element argument. */
    private static int[] pair(String name, int[] v) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException(name + " must have one or two values, got " + Arrays.toString(v));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    /** x with {@code extra} zeros appended along {@code dim} (differentiable: a cat). */
    private static Tensor padEnd(Tensor x, int dim, int extra) {
        if (extra == 0) {
            return x;
        }
        int[] sizes = x.shape().toArray();
        sizes[dim] = extra;
        return Tensor.cat(List.of(x, Tensors.zeros(Shape.of(sizes), x.dtype())), dim);
    }
}
