package fathom.data;

import fathom.Rng;
import fathom.Tensor;

/**
 * The image resampled to [C, height, width] by bilinear interpolation with half-pixel centers and
 * edge clamping, as PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}; no
 * antialiasing, so shrinking by more than 2× skips pixels. Deterministic.
 */
public record Resize(int height, int width) implements Transform {
    public Resize {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Resize: the size must be positive, got " + height + "×" + width);
        }
    }

    @Override
    public Tensor apply(Tensor image, Rng rng) {
        return resize(Planes.of(image, "Resize")).tensor();
    }

    Planes resize(Planes in) {
        if (in.height() == height && in.width() == width) {
            return in;
        }
        Planes out = Planes.zeros(in.channels(), height, width);
        double sy = (double) in.height() / height;
        double sx = (double) in.width() / width;
        for (int y = 0; y < height; y++) {
            double fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), in.height() - 1);
            for (int x = 0; x < width; x++) {
                double fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), in.width() - 1);
                for (int c = 0; c < in.channels(); c++) {
                    // clamped coordinates keep the sample inside, where bilinear never reads the zero border
                    out.data()[out.index(c, y, x)] = in.bilinear(c, fy, fx);
                }
            }
        }
        return out;
    }
}
