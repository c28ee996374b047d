package fathom.data;

import fathom.Rng;
import fathom.Tensor;

/** The image mirrored left to right (its last dimension reversed) with probability {@code p}, else a copy. */
public record RandomHorizontalFlip(double p) implements Transform {
    public RandomHorizontalFlip {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        }
    }

    /** Flips half the images, torchvision's default. */
    public RandomHorizontalFlip() {
        this(0.5);
    }

    @Override
    public Tensor apply(Tensor image, Rng rng) {
        Planes img = Planes.of(image, "RandomHorizontalFlip");
        if (rng.nextDouble() < p) {
            float[] v = img.data();
            int w = img.width();
            for (int row = 0; row < img.channels() * img.height(); row++) {
                for (int i = row * w, j = i + w - 1; i < j; i++, j--) {
                    float t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                }
            }
        }
        return img.tensor();
    }
}
