package fathom.data;

import fathom.Rng;
import fathom.Tensor;
import java.util.List;

/** Applies {@code transforms} in order, each to the previous one's output, with one shared {@link Rng}. */
public record Compose(List<Transform> transforms) implements Transform {
    public Compose {
        transforms = List.copyOf(transforms);
    }

    public Compose(Transform... transforms) {
        this(List.of(transforms));
    }

    @Override
    public Tensor apply(Tensor image, Rng rng) {
        Tensor x = image;
        for (Transform t : transforms) {
            x = t.apply(x, rng);
        }
        return x;
    }
}
