package fathom.nn;

import fathom.Tensor;
import fathom.Upsampling;

/**
 * [*, C·r², H, W] → [*, C, H·r, W·r]: each group of r² channels becomes an r × r block of pixels,
 * y[c, h·r + i, w·r + j] = x[c·r² + i·r + j, h, w] (PyTorch's {@code nn.PixelShuffle}); a reshape, a
 * permute and a copy.
 */
public final class PixelShuffle extends Module {
    public final int upscaleFactor;

    public PixelShuffle(int upscaleFactor) {
        if (upscaleFactor <= 0) {
            throw new IllegalArgumentException("PixelShuffle: upscaleFactor must be positive, got " + upscaleFactor);
        }
        this.upscaleFactor = upscaleFactor;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Upsampling.pixelShuffle(input, upscaleFactor);
    }

    @Override
    public String toString() {
        return "PixelShuffle(upscale_factor=" + upscaleFactor + ")";
    }
}
