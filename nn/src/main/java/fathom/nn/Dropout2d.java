package fathom.nn;

import fathom.DType;
import fathom.Rng;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = x·m / (1 − p) with one m ~ Bernoulli(1 − p) per channel of each sample in training mode (whole
 * [H, W] feature maps are zeroed together), y = x in eval mode; x [N, C, H, W], or [C, H, W] for one
 * sample (PyTorch's {@code nn.Dropout2d}). Masks come from the layer's own {@link Rng}, one draw per
 * (sample, channel) in row-major order.
 *
 * <p>Deviation: PyTorch 1.13 treats a 3-d input as [N, C, L] (with a warning that this will change);
 * Fathom reads it as one unbatched [C, H, W] sample, the meaning later PyTorch releases give it.
 */
public final class Dropout2d extends Module {
    public final double p;
    private final Rng rng;

    public Dropout2d(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.rng = generator("rng", rng);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4 && input.dim() != 3) {
            throw new ShapeException("Dropout2d expects input [N, C, H, W] or [C, H, W], got " + input.shape());
        }
        if (!isTraining() || p == 0) {
            return input;
        }
        int lead = input.dim() - 2; // the sample and channel dimensions, or the channel dimension alone
        int[] maskShape = input.shape().toArray();
        int planes = 1;
        for (int d = 0; d < maskShape.length; d++) {
            if (d < lead) {
                planes *= maskShape[d];
            } else {
                maskShape[d] = 1;
            }
        }
        double scale = p == 1 ? 0 : 1 / (1 - p);
        double[] m = new double[planes];
        for (int i = 0; i < planes; i++) {
            m[i] = rng.nextDouble() >= p ? scale : 0;
        }
        DType dtype = input.dtype().isFloating() ? input.dtype() : DType.FLOAT32;
        return input.mul(Tensors.of(m, maskShape).to(dtype));
    }

    /** As PyTorch's repr: {@code Dropout2d(p=0.5, inplace=False)}. */
    @Override
    public String toString() {
        return "Dropout2d(p=" + PythonRepr.number(p) + ", inplace=False)";
    }
}
