package fathom.nn;

import fathom.Tensor;

/** (x − y)² element-wise, then reduced; input and target of one shape (PyTorch's {@code nn.MSELoss}; default MEAN). */
public record MseLoss(Reduction reduction) implements Loss {
    public MseLoss() {
        this(Reduction.MEAN);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Losses.checkSameShape("MseLoss", input, target);
        return Loss.reduce(input.sub(target).square(), reduction);
    }
}
