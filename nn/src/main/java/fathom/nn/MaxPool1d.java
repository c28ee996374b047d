package fathom.nn;

import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Tensor;
import fathom.ValuesAndIndices;

/**
 * y[n, c, i] = max of x[n, c] over window i along the last dimension: x [N, C, L] or [C, L] gives
 * [N, C, OL] (PyTorch's {@code nn.MaxPool1d}); kernel, stride (default: the kernel), padding (−∞),
 * dilation and ceil mode as in {@link PoolWindow}, one value each. {@link #forwardWithIndices} also
 * returns each maximum's int64 position along L, PyTorch's {@code return_indices=True}.
 */
public final class MaxPool1d extends Module {
    public final PoolWindow window;

    /** Windows of {@code kernelSize}, stride {@code kernelSize}. */
    public MaxPool1d(int kernelSize) {
        this(PoolWindow.of(kernelSize));
    }

    public MaxPool1d(int kernelSize, int stride, int padding) {
        this(PoolWindow.of(kernelSize, stride, padding));
    }

    public MaxPool1d(PoolWindow window) {
        if (window.dims() != 1) {
            throw new IllegalArgumentException("MaxPool1d takes one value per window argument, got " + window);
        }
        this.window = window;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Pooling.maxPool1d(input, window);
    }

    /** The maxima and their int64 positions along L. */
    public ValuesAndIndices forwardWithIndices(Tensor input) {
        return Pooling.maxPool1dWithIndices(input, window);
    }

    /** As PyTorch's repr: {@code MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)}. */
    @Override
    public String toString() {
        return "MaxPool1d(" + window + ")";
    }
}
