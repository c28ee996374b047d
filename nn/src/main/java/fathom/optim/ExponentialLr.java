package fathom.optim;

/** Decays each group's learning rate by γ every step: {@code lr(t) = base·γ^t}, as PyTorch's {@code ExponentialLR}. */
public final class ExponentialLr extends ClosedFormLr {
    private final double gamma;

    /** @param gamma multiplicative factor per step, ≥ 0 */
    public ExponentialLr(Optimizer<?> optimizer, double gamma) {
        Check.nonNegative("gamma", gamma);
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double lr(int group, int t) {
        return baseLr(group) * Math.pow(gamma, t);
    }
}
