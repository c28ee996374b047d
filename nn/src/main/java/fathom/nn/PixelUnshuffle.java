package fathom.nn;

import fathom.Tensor;
import fathom.Upsampling;

/**
 * [*, C, H·r, W·r] → [*, C·r², H, W], the inverse of {@link PixelShuffle}: each r × r block of pixels
 * becomes r² channels (PyTorch's {@code nn.PixelUnshuffle}).
 */
public final class PixelUnshuffle extends Module {
    public final int downscaleFactor;

    public PixelUnshuffle(int downscaleFactor) {
        if (downscaleFactor <= 0) {
            throw new IllegalArgumentException("PixelUnshuffle: downscaleFactor must be positive, got " + downscaleFactor);
        }
        this.downscaleFactor = downscaleFactor;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Upsampling.pixelUnshuffle(input, downscaleFactor);
    }

    @Override
    public String toString() {
        return "PixelUnshuffle(downscale_factor=" + downscaleFactor + ")";
    }
}
