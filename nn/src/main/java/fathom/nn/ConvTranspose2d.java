package fathom.nn;

import fathom.Convolution;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * The transposed 2-d convolution (the input gradient of a {@link Conv2d}, used to upsample): each
 * x[n, c, h, w]·weight[c, o] is added to y[n, o] around (h·sH − pH, w·sW − pW), then bias[o], for x [N, C,
 * H, W] or [C, H, W] giving [N, O, Ho, Wo] with Ho = (H − 1)·sH − 2·pH + dH·(kH − 1) + opH + 1 (PyTorch's
 * {@code nn.ConvTranspose2d}); weight [C, O/groups, kH, kW], bias [O]; arguments from the
 * {@link ConvTranspose2dConfig} (see {@link Convolution#convTranspose2d}). PyTorch's optional
 * {@code output_size} argument of forward is not offered: set the output padding instead.
 *
 * <p>Initialized as PyTorch does, with fan_in computed from the weight's shape as for any convolution:
 * fan_in = weight.size(1)·kH·kW = O/groups·kH·kW; weight from kaiming_uniform(a = √5), that is
 * U(−1/√fan_in, 1/√fan_in), and bias from U(−1/√fan_in, 1/√fan_in).
 */
public final class ConvTranspose2d extends Module {
    public final ConvTranspose2dConfig config;
    /** [C, O/groups, kH, kW]. */
    public final Tensor weight;
    /** [O], or null without bias. */
    public final Tensor bias;

    /** A float32 {@code kernelSize x kernelSize} transposed convolution, stride 1, no padding. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(new ConvTranspose2dConfig(inChannels, outChannels, kernelSize), rng);
    }

    /** A float32 layer. */
    public ConvTranspose2d(ConvTranspose2dConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public ConvTranspose2d(ConvTranspose2dConfig config, DType dtype, Rng rng) {
        this.config = config;
        int[] k = config.kernelSize();
        weight = parameter("weight", Tensors.zeros(Shape.of(config.inChannels(), config.outChannels() / config.groups(), k[0], k[1]), dtype));
        bias = config.bias() ? parameter("bias", Tensors.zeros(Shape.of(config.outChannels()), dtype)) : null;
        ConvInit.reset(weight, bias, rng);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Convolution.convTranspose2d(input, weight, bias, config.stride(), config.padding(), config.outputPadding(), config.groups(),
                config.dilation());
    }

    @Override
    public String toString() {
        int[] p = config.padding();
        return ConvArgs.repr("ConvTranspose2d", config.inChannels(), config.outChannels(), config.kernelSize(), config.stride(),
                ConvArgs.tuple(p), p[0] == 0 && p[1] == 0, config.dilation(), config.outputPadding(), config.groups(), config.bias(), config.paddingMode());
    }
}
