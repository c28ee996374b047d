package fathom.data;

import fathom.Rng;
import fathom.Tensor;

/**
 * An image transform: {@code apply} returns a new float32 image [C, H', W'] made from {@code image}
 * [C, H, W], drawing any random choice from {@code rng} and never writing into {@code image}
 * (torchvision's transforms, with the generator passed explicitly).
 *
 * <p>Random transforms draw the same count of numbers from {@code rng} whatever they decide, so one
 * transform's choice does not shift the next one's stream.
 */
@FunctionalInterface
public interface Transform {
    /** The transformed image; {@code image} is left unchanged. */
    Tensor apply(Tensor image, Rng rng);

    /** This transform, then {@code next}. */
    default Transform andThen(Transform next) {
        return new Compose(this, next);
    }
}
