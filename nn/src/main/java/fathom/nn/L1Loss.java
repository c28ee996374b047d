package fathom.nn;

import fathom.Tensor;

/** |x − y| element-wise, then reduced; input and target of one shape (PyTorch's {@code nn.L1Loss}; default MEAN). */
public record L1Loss(Reduction reduction) implements Loss {
    public L1Loss() {
        this(Reduction.MEAN);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkSameShape("L1Loss", input, target);
        return Loss.reduce(input.sub(target).abs(), reduction);
    }
}
