package fathom.nn;

import fathom.ConvPadding;
import fathom.Convolution;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y[n, o] = bias[o] + Σ_c weight[o, c] ⋆ x[n, c] (1-d cross-correlation over the channels of o's group),
 * for x [N, C, L] or [C, L] giving [N, O, Lo] or [O, Lo] (PyTorch's {@code nn.Conv1d}), with weight
 * [O, C/groups, K] and bias [O]; stride, padding, dilation and groups from the {@link Conv1dConfig}
 * (see {@link Convolution#conv1d}). Runs as a 2-d convolution over a height-1 view, without copies.
 *
 * <p>Initialized as PyTorch does: weight from kaiming_uniform(a = √5), that is U(−1/√fan_in, 1/√fan_in)
 * with fan_in = C/groups·K, and bias from U(−1/√fan_in, 1/√fan_in).
 */
public final class Conv1d extends Module {
    public final Conv1dConfig config;
    /** [O, C/groups, K]. */
    public final Tensor weight;
    /** [O], or null without bias. */
    public final Tensor bias;

    /** A float32 width-{@code kernelSize} convolution, stride 1, no padding. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(new Conv1dConfig(inChannels, outChannels, kernelSize), rng);
    }

    /** A float32 layer. */
    public Conv1d(Conv1dConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public Conv1d(Conv1dConfig config, DType dtype, Rng rng) {
        this.config = config;
        weight = parameter("weight", Tensors.zeros(Shape.of(config.outChannels(), config.inChannels() / config.groups(), config.kernelSize()),
                dtype));
        bias = config.bias() ? parameter("bias", Tensors.zeros(Shape.of(config.outChannels()), dtype)) : null;
        ConvInit.reset(weight, bias, rng);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!"zeros".equals(config.paddingMode())) {
            Tensor padded = ConvArgs.padInput(input, config.padding(), config.paddingMode(), new int[] {config.kernelSize()},
                    new int[] {config.dilation()}, 1);
            return Convolution.conv1d(padded, weight, bias, config.stride(), ConvPadding.VALID, config.dilation(), config.groups());
        }
        return Convolution.conv1d(input, weight, bias, config.stride(), config.padding(), config.dilation(), config.groups());
    }

    @Override
    public String toString() {
        return ConvArgs.repr("Conv1d", config.inChannels(), config.outChannels(), new int[] {config.kernelSize()},
                new int[] {config.stride()}, ConvArgs.padding(config.padding(), 1), ConvArgs.isZero(config.padding()),
                new int[] {config.dilation()}, null, config.groups(), config.bias(), config.paddingMode());
    }
}
