package fathom.data;

import fathom.Rng;
import fathom.Tensor;

/**
 * {@code image + std · N(0, 1)}, independent noise on every element, unclipped (torchvision's v2
 * {@code GaussianNoise} clips to [0, 1] by default, which would be wrong after {@link Normalize}).
 */
public record GaussianNoise(double std) implements Transform {
    public GaussianNoise {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("GaussianNoise: std must be finite and ≥ 0, got " + std);
        }
    }

    @Override
    public Tensor apply(Tensor image, Rng rng) {
        Planes img = Planes.of(image, "GaussianNoise");
        float[] v = img.data();
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (std * rng.nextGaussian());
        }
        return img.tensor();
    }
}
