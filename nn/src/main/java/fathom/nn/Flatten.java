package fathom.nn;

import fathom.Tensor;

/** Dimensions startDim..endDim (inclusive, negative from the end) merged into one: [N, C, H, W] → [N, C·H·W] by default. */
public final class Flatten extends Module {
    public final int startDim;
    public final int endDim;

    /** startDim 1, endDim −1, as PyTorch's {@code nn.Flatten}: everything but the batch dimension. */
    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }
}
