package fathom.nn;

import fathom.ConvPadding;
import fathom.Convolution;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y[n, o] = bias[o] + Σ_c weight[o, c] ⋆ x[n, c] (2-d cross-correlation over the channels of o's group),
 * for x [N, C, H, W] or [C, H, W] giving [N, O, Ho, Wo] or [O, Ho, Wo] (PyTorch's {@code nn.Conv2d}),
 * with weight [O, C/groups, kH, kW] and bias [O]; stride, padding, dilation and groups from the
 * {@link Conv2dConfig} (see {@link Convolution#conv2d}); a padding mode other than "zeros" pads the input
 * with {@link fathom.Padding#pad} first, as PyTorch does.
 *
 * <p>Initialized as PyTorch does: weight from kaiming_uniform(a = √5), that is U(−1/√fan_in, 1/√fan_in)
 * with fan_in = C/groups·kH·kW, and bias from U(−1/√fan_in, 1/√fan_in).
 */
public final class Conv2d extends Module {
    public final Conv2dConfig config;
    /** [O, C/groups, kH, kW]. */
    public final Tensor weight;
    /** [O], or null without bias. */
    public final Tensor bias;

    /** A float32 {@code kernelSize x kernelSize} convolution, stride 1, no padding. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(new Conv2dConfig(inChannels, outChannels, kernelSize), rng);
    }

    /** A float32 layer. */
    public Conv2d(Conv2dConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public Conv2d(Conv2dConfig config, DType dtype, Rng rng) {
        this.config = config;
        int[] k = config.kernelSize();
        weight = parameter("weight", Tensors.zeros(Shape.of(config.outChannels(), config.inChannels() / config.groups(), k[0], k[1]), dtype));
        bias = config.bias() ? parameter("bias", Tensors.zeros(Shape.of(config.outChannels()), dtype)) : null;
        ConvInit.reset(weight, bias, rng);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!"zeros".equals(config.paddingMode())) {
            Tensor padded = ConvArgs.padInput(input, config.padding(), config.paddingMode(), config.kernelSize(), config.dilation(), 2);
            return Convolution.conv2d(padded, weight, bias, config.stride(), ConvPadding.VALID, config.dilation(), config.groups());
        }
        return Convolution.conv2d(input, weight, bias, config.stride(), config.padding(), config.dilation(), config.groups());
    }

    @Override
    public String toString() {
        return ConvArgs.repr("Conv2d", config.inChannels(), config.outChannels(), config.kernelSize(), config.stride(),
                ConvArgs.padding(config.padding(), 2), ConvArgs.isZero(config.padding()), config.dilation(), null, config.groups(),
                config.bias(), config.paddingMode());
    }
}
