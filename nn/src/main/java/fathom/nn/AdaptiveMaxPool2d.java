package fathom.nn;

import fathom.Pooling;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.ValuesAndIndices;

/**
 * y[n, c, i, j] = max of x[n, c] over rows {@code [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉)} and the likewise columns:
 * x [N, C, H, W] or [C, H, W] gives [N, C, OH, OW] (PyTorch's {@code nn.AdaptiveMaxPool2d}); a null
 * output size keeps the input's. {@link #forwardWithIndices} also returns each maximum's int64 index
 * within its [H, W] plane, PyTorch's {@code return_indices=True}.
 */
public final class AdaptiveMaxPool2d extends Module {
    /** The output height, or null for the input's. */
    public final Integer outputHeight;
    /** The output width, or null for the input's. */
    public final Integer outputWidth;
    private final boolean square;

    /** A {@code size × size} output. */
    public AdaptiveMaxPool2d(int size) {
        this(size, size, true);
    }

    public AdaptiveMaxPool2d(Integer outputHeight, Integer outputWidth) {
        this(outputHeight, outputWidth, false);
    }

    private AdaptiveMaxPool2d(Integer outputHeight, Integer outputWidth, boolean square) {
        AdaptiveSize.check("AdaptiveMaxPool2d", outputHeight, outputWidth);
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        this.square = square;
    }

    @Override
    public Tensor forward(Tensor input) {
        return forwardWithIndices(input).values();
    }

    /** The maxima and their int64 indices {@code row·W + col} within each input plane. */
    public ValuesAndIndices forwardWithIndices(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new ShapeException("AdaptiveMaxPool2d expects input [N, C, H, W] or [C, H, W], got " + input.shape());
        }
        return Pooling.adaptiveMaxPool2dWithIndices(input, AdaptiveSize.resolve(outputHeight, input.size(-2)),
                AdaptiveSize.resolve(outputWidth, input.size(-1)));
    }

    /** As PyTorch's repr: {@code AdaptiveMaxPool2d(output_size=(2, 3))}. */
    @Override
    public String toString() {
        return "AdaptiveMaxPool2d(output_size=" + AdaptiveSize.repr(outputHeight, outputWidth, square) + ")";
    }
}
