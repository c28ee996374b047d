package fathom.nn;

import fathom.Tensor;

/**
 * A loss function L(input, target), reduced as its {@link Reduction} says (PyTorch's loss modules).
 * Implementations are records of their options, so a loss is a value that can be shared and compared.
 */
@FunctionalInterface
public interface Loss {
    /** The loss of {@code input} against {@code target}: 0-d for MEAN and SUM, element-wise for NONE. */
    Tensor apply(Tensor input, Tensor target);

    /** {@code loss} reduced: summed, averaged over its elements, or returned as it is. */
    static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
        };
    }
}
