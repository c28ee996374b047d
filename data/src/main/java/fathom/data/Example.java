package fathom.data;

import fathom.Tensor;
import java.util.Objects;

/**
 * One sample of a {@link Dataset}: an input (an image [C, H, W], a feature vector [F], ...) and its
 * target (an int64 class index as a 0-d tensor, or a float32 regression value).
 */
public record Example(Tensor input, Tensor target) {
    public Example {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
    }
}
