package fathom.nn;

import fathom.Pooling;
import fathom.ShapeException;
import fathom.Tensor;

/**
 * y[n, c, i, j] = mean of x[n, c] over rows {@code [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉)} and the likewise
 * columns: x [N, C, H, W] or [C, H, W] gives [N, C, OH, OW] whatever H and W (PyTorch's
 * {@code nn.AdaptiveAvgPool2d}). A null output size keeps the input's size along that dimension.
 * {@code new AdaptiveAvgPool2d(1)} is global average pooling, [N, C, H, W] → [N, C, 1, 1].
 */
public final class AdaptiveAvgPool2d extends Module {
    /** The output height, or null for the input's. */
    public final Integer outputHeight;
    /** The output width, or null for the input's. */
    public final Integer outputWidth;
    private final boolean square;

    /** A {@code size × size} output. */
    public AdaptiveAvgPool2d(int size) {
        this(size, size, true);
    }

    public AdaptiveAvgPool2d(Integer outputHeight, Integer outputWidth) {
        this(outputHeight, outputWidth, false);
    }

    private AdaptiveAvgPool2d(Integer outputHeight, Integer outputWidth, boolean square) {
        AdaptiveSize.check("AdaptiveAvgPool2d", outputHeight, outputWidth);
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        this.square = square;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new ShapeException("AdaptiveAvgPool2d expects input [N, C, H, W] or [C, H, W], got " + input.shape());
        }
        return Pooling.adaptiveAvgPool2d(input, AdaptiveSize.resolve(outputHeight, input.size(-2)),
                AdaptiveSize.resolve(outputWidth, input.size(-1)));
    }

    /** As PyTorch's repr: {@code AdaptiveAvgPool2d(output_size=1)}, {@code AdaptiveAvgPool2d(output_size=(7, None))}. */
    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(output_size=" + AdaptiveSize.repr(outputHeight, outputWidth, square) + ")";
    }
}
