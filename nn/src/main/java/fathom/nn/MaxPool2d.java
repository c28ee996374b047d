package fathom.nn;

import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Tensor;
import fathom.ValuesAndIndices;

/**
 * y[n, c, i, j] = max of x[n, c] over window (i, j): x [N, C, H, W] or [C, H, W] gives
 * [N, C, OH, OW] (PyTorch's {@code nn.MaxPool2d}); window sizes, stride (default: the kernel), padding
 * (−∞), dilation and ceil mode as in {@link PoolWindow}. {@link #forwardWithIndices} also returns the
 * int64 index of each maximum within its [H, W] plane, PyTorch's {@code return_indices=True}.
 */
public final class MaxPool2d extends Module {
    public final PoolWindow window;

    /** Windows of {@code kernelSize} × {@code kernelSize}, stride {@code kernelSize}. */
    public MaxPool2d(int kernelSize) {
        this(PoolWindow.of(kernelSize));
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(PoolWindow.of(kernelSize, stride, padding));
    }

    public MaxPool2d(PoolWindow window) {
        this.window = window;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Pooling.maxPool2d(input, window);
    }

    /** The maxima and their int64 indices {@code row·W + col} within each input plane. */
    public ValuesAndIndices forwardWithIndices(Tensor input) {
        return Pooling.maxPool2dWithIndices(input, window);
    }

    /** As PyTorch's repr: {@code MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)}. */
    @Override
    public String toString() {
        return "MaxPool2d(" + window + ")";
    }
}
