package fathom.nn;

import fathom.Rng;
import fathom.Tensor;

/** PyTorch's {@code _ConvNd.reset_parameters}, shared by the convolution layers. */
final class ConvInit {
    private ConvInit() {}

    /**
     * weight from kaiming_uniform(a = √5), which is U(−1/√fan_in, 1/√fan_in), and bias (if any) from
     * U(−1/√fan_in, 1/√fan_in), with fan_in = weight.size(1)·kernel taps, computed from the weight's
     * shape as PyTorch does (for a transposed convolution that is out_channels/groups·taps).
     */
    static void reset(Tensor weight, Tensor bias, Rng rng) {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, rng);
        if (bias != null) {
            int fanIn = Init.fanIn(weight.shape());
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform(bias, -bound, bound, rng);
        }
    }
}
