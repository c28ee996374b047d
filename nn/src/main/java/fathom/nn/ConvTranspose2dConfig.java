package fathom.nn;

import java.util.Arrays;

/**
 * The arguments of {@link ConvTranspose2d}, PyTorch's {@code nn.ConvTranspose2d} arguments in its order
 * (groups and bias before dilation); a pair is {h, w} (one value means both). Defaults as PyTorch:
 * stride 1, padding 0, output padding 0, one group, a bias, dilation 1, padding mode "zeros" (the only
 * one supported).
 *
 * @param inChannels C of the input [N, C, H, W], > 0
 * @param outChannels O of the output [N, O, Ho, Wo], > 0
 * @param kernelSize {kH, kW}, ≥ 1
 * @param stride {sH, sW}, ≥ 1
 * @param padding {pH, pW} ≥ 0: dilation·(kernel − 1) − padding zero rows/columns around the input
 * @param outputPadding {opH, opW} ≥ 0 added to one side of the output; each smaller than the stride or
 *     the dilation of its dimension
 * @param groups channel groups; divides both channel counts
 * @param bias whether the layer adds a learned bias
 * @param dilation {dH, dW}, ≥ 1
 * @param paddingMode "zeros"
 */
public record ConvTranspose2dConfig(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding,
                                    int groups, boolean bias, int[] dilation, String paddingMode) {
    public ConvTranspose2dConfig {
        ConvArgs.channels("ConvTranspose2d", inChannels, outChannels, groups);
        kernelSize = ConvArgs.pair("kernel_size", kernelSize, 1);
        stride = ConvArgs.pair("stride", stride, 1);
        padding = ConvArgs.pair("padding", padding, 0);
        outputPadding = ConvArgs.pair("output_padding", outputPadding, 0);
        dilation = ConvArgs.pair("dilation", dilation, 1);
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw new IllegalArgumentException("ConvTranspose2d: output_padding " + Arrays.toString(outputPadding)
                        + " must be smaller than either stride " + Arrays.toString(stride) + " or dilation " + Arrays.toString(dilation));
            }
        }
        ConvArgs.paddingMode("ConvTranspose2d", paddingMode, true);
    }

    /** A {@code kernelSize x kernelSize} transposed convolution with PyTorch's defaults for everything else. */
    public ConvTranspose2dConfig(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {1}, new int[] {0}, new int[] {0}, 1, true, new int[] {1}, "zeros");
    }

    public ConvTranspose2dConfig withStride(int s) {
        return withStride(s, s);
    }

    public ConvTranspose2dConfig withStride(int h, int w) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelSize, new int[] {h, w}, padding, outputPadding, groups, bias,
                dilation, paddingMode);
    }

    public ConvTranspose2dConfig withPadding(int p) {
        return withPadding(p, p);
    }

    public ConvTranspose2dConfig withPadding(int h, int w) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelSize, stride, new int[] {h, w}, outputPadding, groups, bias,
                dilation, paddingMode);
    }

    public ConvTranspose2dConfig withOutputPadding(int p) {
        return withOutputPadding(p, p);
    }

    public ConvTranspose2dConfig withOutputPadding(int h, int w) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelSize, stride, padding, new int[] {h, w}, groups, bias, dilation,
                paddingMode);
    }

    public ConvTranspose2dConfig withGroups(int g) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelSize, stride, padding, outputPadding, g, bias, dilation,
                paddingMode);
    }

    public ConvTranspose2dConfig withBias(boolean b) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, b, dilation,
                paddingMode);
    }

    public ConvTranspose2dConfig withDilation(int d) {
        return withDilation(d, d);
    }

    public ConvTranspose2dConfig withDilation(int h, int w) {
        return new ConvTranspose2dConfig(inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, bias,
                new int[] {h, w}, paddingMode);
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
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int[] outputPadding() {
        return outputPadding.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvTranspose2dConfig c && inChannels == c.inChannels && outChannels == c.outChannels
                && Arrays.equals(kernelSize, c.kernelSize) && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding)
                && Arrays.equals(outputPadding, c.outputPadding) && groups == c.groups && bias == c.bias
                && Arrays.equals(dilation, c.dilation) && paddingMode.equals(c.paddingMode);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(inChannels, outChannels, Arrays.hashCode(kernelSize), Arrays.hashCode(stride),
                Arrays.hashCode(padding), Arrays.hashCode(outputPadding), groups, bias, Arrays.hashCode(dilation), paddingMode);
    }

    @Override
    public String toString() {
        return "ConvTranspose2dConfig[inChannels=" + inChannels + ", outChannels=" + outChannels + ", kernelSize="
                + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
                + ", outputPadding=" + Arrays.toString(outputPadding) + ", groups=" + groups + ", bias=" + bias + ", dilation="
                + Arrays.toString(dilation) + ", paddingMode=" + paddingMode + "]";
    }
}
