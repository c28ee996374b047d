package fathom.nn;

import fathom.ConvPadding;

/**
 * The arguments of {@link Conv1d}, PyTorch's {@code nn.Conv1d} arguments in its order. Defaults as
 * PyTorch: stride 1, padding 0, dilation 1, one group, a bias, padding mode "zeros".
 *
 * @param inChannels C of the input [N, C, L], > 0
 * @param outChannels O of the output [N, O, Lo], > 0
 * @param kernelSize K, ≥ 1
 * @param stride ≥ 1
 * @param padding zeros at both ends: {@code ConvPadding.of(p)}, {@link ConvPadding#SAME} (stride 1 only) or {@link ConvPadding#VALID}
 * @param dilation ≥ 1
 * @param groups channel groups; divides both channel counts
 * @param bias whether the layer adds a learned bias
 * @param paddingMode "zeros", or "reflect", "replicate" or "circular" (the input padded by {@link fathom.Padding#pad}
 *     and then convolved without padding, as PyTorch does)
 */
public record Conv1dConfig(int inChannels, int outChannels, int kernelSize, int stride, ConvPadding padding, int dilation, int groups,
                           boolean bias, String paddingMode) {
    public Conv1dConfig {
        ConvArgs.channels("Conv1d", inChannels, outChannels, groups);
        ConvArgs.pair("kernel_size", new int[] {kernelSize}, 1);
        ConvArgs.pair("stride", new int[] {stride}, 1);
        ConvArgs.pair("dilation", new int[] {dilation}, 1);
        if (padding instanceof ConvPadding.Sizes s && s.height() != s.width()) {
            throw new IllegalArgumentException("Conv1d: padding has one size (ConvPadding.of(p)), got " + padding);
        }
        if (padding == null) {
            throw new IllegalArgumentException("Conv1d: padding must not be null (use ConvPadding.of(0))");
        }
        if (padding instanceof ConvPadding.Same && stride != 1) {
            throw new IllegalArgumentException("Conv1d: padding=\"same\" is not supported for strided convolutions, got stride " + stride);
        }
        ConvArgs.paddingMode("Conv1d", paddingMode, false);
    }

    /** A width-{@code kernelSize} convolution with PyTorch's defaults for everything else. */
    public Conv1dConfig(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, ConvPadding.of(0), 1, 1, true, "zeros");
    }

    public Conv1dConfig withStride(int s) {
        return new Conv1dConfig(inChannels, outChannels, kernelSize, s, padding, dilation, groups, bias, paddingMode);
    }

    public Conv1dConfig withPadding(int p) {
        return withPadding(ConvPadding.of(p));
    }

    /** {@code "same"} or {@code "valid"}. */
    public Conv1dConfig withPadding(String p) {
        return withPadding(ConvPadding.of(p));
    }

    public Conv1dConfig withPadding(ConvPadding p) {
        return new Conv1dConfig(inChannels, outChannels, kernelSize, stride, p, dilation, groups, bias, paddingMode);
    }

    public Conv1dConfig withDilation(int d) {
        return new Conv1dConfig(inChannels, outChannels, kernelSize, stride, padding, d, groups, bias, paddingMode);
    }

    public Conv1dConfig withGroups(int g) {
        return new Conv1dConfig(inChannels, outChannels, kernelSize, stride, padding, dilation, g, bias, paddingMode);
    }

    public Conv1dConfig withBias(boolean b) {
        return new Conv1dConfig(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, b, paddingMode);
    }

    /** "zeros", "reflect", "replicate" or "circular". */
    public Conv1dConfig withPaddingMode(String mode) {
        return new Conv1dConfig(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, mode);
    }
}
