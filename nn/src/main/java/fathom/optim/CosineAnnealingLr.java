package fathom.optim;

/**
 * Cosine annealing from each group's base rate to η_min over {@code tMax} steps:
 * {@code lr(t) = η_min + (base − η_min)·(1 + cos(π·t / tMax)) / 2}, as PyTorch's {@code CosineAnnealingLR}
 * (without restarts).
 *
 * <p>Past {@code tMax} the formula continues: the rate climbs back along the cosine, period 2·tMax,
 * as PyTorch's does. For a schedule that holds at η_min, and for linear warmup, see {@link WarmupCosineLr}.
 */
public final class CosineAnnealingLr extends ClosedFormLr {
    private final int tMax;
    private final double etaMin;

    /**
     * @param tMax steps from the base rate down to η_min, > 0
     * @param etaMin the lowest rate, ≥ 0 (PyTorch's default 0)
     */
    public CosineAnnealingLr(Optimizer<?> optimizer, int tMax, double etaMin) {
        Check.positive("T_max", tMax);
        Check.nonNegative("eta_min", etaMin);
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer);
    }

    /** Cosine annealing to 0 over {@code tMax} steps. */
    public CosineAnnealingLr(Optimizer<?> optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    protected double lr(int group, int t) {
        return etaMin + (baseLr(group) - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
