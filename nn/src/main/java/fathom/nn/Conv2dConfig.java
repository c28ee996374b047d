package fathom.nn;

import fathom.ConvPadding;
import java.util.Arrays;

/**
 * The arguments of {@link Conv2d}, PyTorch's {@code nn.Conv2d} arguments in its order; a pair is {h, w}
 * (one value means both). Defaults as PyTorch: stride 1, padding 0, dilation 1, one group, a bias,
 * padding mode "zeros".
 *
 * @param inChannels C of the input [N, C, H, W], > 0
 * @param outChannels O of the output [N, O, Ho, Wo], > 0
 * @param kernelSize {kH, kW}, ≥ 1
 * @param stride {sH, sW}, ≥ 1
 * @param padding zero padding: sizes, {@link ConvPadding#SAME} (stride 1 only) or {@link ConvPadding#VALID}
 * @param dilation {dH, dW}, ≥ 1
 * @param groups channel groups; divides both channel counts (groups = inChannels is depthwise)
 * @param bias whether the layer adds a learned bias
 * @param paddingMode "zeros", or "reflect", "replicate" or "circular" (the input padded by {@link fathom.Padding#pad}
 *     and then convolved without padding, as PyTorch does)
 */
public record Conv2dConfig(int inChannels, int outChannels, int[] kernelSize, int[] stride, ConvPadding padding, int[] dilation,
                           int groups, boolean bias, String paddingMode) {
    public Conv2dConfig {
        ConvArgs.channels("Conv2d", inChannels, outChannels, groups);
        kernelSize = ConvArgs.pair("kernel_size", kernelSize, 1);
        stride = ConvArgs.pair("stride", stride, 1);
        dilation = ConvArgs.pair("dilation", dilation, 1);
        if (padding == null) {
            throw new IllegalArgumentException("Conv2d: padding must not be null (use ConvPadding.of(0))");
        }
        if (padding instanceof ConvPadding.Same && (stride[0] != 1 || stride[1] != 1)) {
            throw new IllegalArgumentException("Conv2d: padding=\"same\" is not supported for strided convolutions, got stride "
                    + Arrays.toString(stride));
        }
        ConvArgs.paddingMode("Conv2d", paddingMode, false);
    }

    /** A {@code kernelSize x kernelSize} convolution with PyTorch's defaults for everything else. */
    public Conv2dConfig(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize});
    }

    /** A {kH, kW} convolution with PyTorch's defaults for everything else. */
    public Conv2dConfig(int inChannels, int outChannels, int[] kernelSize) {
        this(inChannels, outChannels, kernelSize, new int[] {1}, ConvPadding.of(0), new int[] {1}, 1, true, "zeros");
    }

    public Conv2dConfig withStride(int s) {
        return withStride(s, s);
    }

    public Conv2dConfig withStride(int h, int w) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, new int[] {h, w}, padding, dilation, groups, bias, paddingMode);
    }

    public Conv2dConfig withPadding(int p) {
        return withPadding(ConvPadding.of(p));
    }

    public Conv2dConfig withPadding(int h, int w) {
        return withPadding(ConvPadding.of(h, w));
    }

    /** {@code "same"} or {@code "valid"}. */
    public Conv2dConfig withPadding(String p) {
        return withPadding(ConvPadding.of(p));
    }

    public Conv2dConfig withPadding(ConvPadding p) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, p, dilation, groups, bias, paddingMode);
    }

    public Conv2dConfig withDilation(int d) {
        return withDilation(d, d);
    }

    public Conv2dConfig withDilation(int h, int w) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, padding, new int[] {h, w}, groups, bias, paddingMode);
    }

    public Conv2dConfig withGroups(int g) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, padding, dilation, g, bias, paddingMode);
    }

    public Conv2dConfig withBias(boolean b) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, b, paddingMode);
    }

    /** "zeros", "reflect", "replicate" or "circular". */
    public Conv2dConfig withPaddingMode(String mode) {
        return new Conv2dConfig(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, mode);
    }

    @Override
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv2dConfig c && inChannels == c.inChannels && outChannels == c.outChannels
                && Arrays.equals(kernelSize, c.kernelSize) && Arrays.equals(stride, c.stride) && padding.equals(c.padding)
                && Arrays.equals(dilation, c.dilation) && groups == c.groups && bias == c.bias && paddingMode.equals(c.paddingMode);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(inChannels, outChannels, Arrays.hashCode(kernelSize), Arrays.hashCode(stride), padding,
                Arrays.hashCode(dilation), groups, bias, paddingMode);
    }

    @Override
    public String toString() {
        return "Conv2dConfig[inChannels=" + inChannels + ", outChannels=" + outChannels + ", kernelSize=" + Arrays.toString(kernelSize)
                + ", stride=" + Arrays.toString(stride) + ", padding=" + padding + ", dilation=" + Arrays.toString(dilation)
                + ", groups=" + groups + ", bias=" + bias + ", paddingMode=" + paddingMode + "]";
    }
}
