package fathom.nn;

import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Tensor;

/**
 * y[n, c, i, j] = mean of x[n, c] over window (i, j): x [N, C, H, W] or [C, H, W] gives
 * [N, C, OH, OW] (PyTorch's {@code nn.AvgPool2d}); kernel, stride (default: the kernel), zero padding
 * and ceil mode as in {@link PoolWindow} (no dilation). The divisor is the window size with the padding
 * counted ({@code countIncludePad}, the default) or without it, or {@code divisorOverride} when not null.
 */
public final class AvgPool2d extends Module {
    public final PoolWindow window;
    public final boolean countIncludePad;
    /** The divisor used for every window, or null for the window size. */
    public final Integer divisorOverride;

    /** Windows of {@code kernelSize} × {@code kernelSize}, stride {@code kernelSize}. */
    public AvgPool2d(int kernelSize) {
        this(PoolWindow.of(kernelSize), true, null);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(PoolWindow.of(kernelSize, stride, padding), true, null);
    }

    public AvgPool2d(PoolWindow window, boolean countIncludePad, Integer divisorOverride) {
        if (window.dilation(0) != 1 || window.dilation(1) != 1) {
            throw new IllegalArgumentException("AvgPool2d has no dilation, got " + window);
        }
        if (divisorOverride != null && divisorOverride == 0) {
            throw new IllegalArgumentException("AvgPool2d: divisorOverride must not be zero");
        }
        this.window = window;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Pooling.avgPool2d(input, window, countIncludePad, divisorOverride);
    }

    /** As PyTorch's repr, which shows only these three: {@code AvgPool2d(kernel_size=2, stride=2, padding=0)}. */
    @Override
    public String toString() {
        return "AvgPool2d(kernel_size=" + PythonRepr.ints(window.kernel()) + ", stride=" + PythonRepr.ints(window.stride()) + ", padding="
                + PythonRepr.ints(window.padding()) + ")";
    }
}
