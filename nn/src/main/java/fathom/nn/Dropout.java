package fathom.nn;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = x·m / (1 − p) with m ~ Bernoulli(1 − p) per element in training mode (inverted dropout, so eval
 * needs no rescaling), y = x in eval mode; any shape. Masks come from the layer's own {@link Rng}.
 */
public final class Dropout extends Module {
    public final double p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.rng = generator("rng", rng);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) {
            return input;
        }
        return input.mul(mask(input));
    }

    /** One tensor holding 0 or 1/(1 − p), in the input's floating dtype (all zeros when p = 1, as PyTorch). */
    private Tensor mask(Tensor input) {
        int n = input.numel();
        int[] dims = input.shape().toArray();
        if (input.dtype() == DType.FLOAT64) {
            double scale = p == 1 ? 0 : 1 / (1 - p);
            double[] m = new double[n];
            for (int i = 0; i < n; i++) {
                m[i] = rng.nextDouble() >= p ? scale : 0;
            }
            return Tensors.of(m).reshape(dims);
        }
        float scale = p == 1 ? 0 : (float) (1 / (1 - p));
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = rng.nextDouble() >= p ? scale : 0;
        }
        return Tensors.of(m).reshape(dims);
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
