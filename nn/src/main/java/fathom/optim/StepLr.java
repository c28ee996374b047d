package fathom.optim;

/**
 * Decays each group's learning rate by γ every {@code stepSize} steps: {@code lr(t) = base·γ^⌊t / stepSize⌋},
 * as PyTorch's {@code StepLR}.
 */
public final class StepLr extends ClosedFormLr {
    private final int stepSize;
    private final double gamma;

    /**
     * @param stepSize steps between decays, > 0
     * @param gamma multiplicative factor, ≥ 0 (PyTorch's default 0.1)
     */
    public StepLr(Optimizer<?> optimizer, int stepSize, double gamma) {
        Check.positive("step_size", stepSize);
        Check.nonNegative("gamma", gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double lr(int group, int t) {
        return baseLr(group) * Math.pow(gamma, t / stepSize);
    }
}
