package fathom.nn;

import fathom.DTypeException;
import fathom.ShapeException;
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

    /** Shape and dtype checks shared by the element-wise losses. */
    static void checkSameShape(String loss, Tensor input, Tensor target) {
        if (!input.shape().equals(target.shape())) {
            throw new ShapeException(loss + ": input " + input.shape() + " and target " + target.shape() + " must have the same shape");
        }
        if (!input.dtype().isFloating() || !target.dtype().isFloating()) {
            throw new DTypeException(loss + ": input " + input.shape() + " " + input.dtype() + " and target " + target.shape()
                    + " " + target.dtype() + " must both be floating");
        }
    }
}
