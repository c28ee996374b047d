package fathom.optim;

/**
 * Linear warmup then cosine decay: {@code lr(t) = base·t / W} for t < W, then
 * {@code lr(t) = η_min + (base − η_min)·(1 + cos(π·(t − W) / (T − W))) / 2} up to T, and η_min after.
 *
 * <p>With η_min = 0 this is HuggingFace transformers' {@code get_cosine_schedule_with_warmup}
 * ({@code num_warmup_steps} W, {@code num_training_steps} T, the default half cycle) for t ≤ T, computed
 * in its order of operations, so the rates agree exactly. Two differences: η_min lets the decay stop
 * above 0, and past T the rate stays at η_min where HuggingFace's formula would climb back up.
 * The rate at t = 0 is 0: the first optimizer step with W > 0 does not move the parameters.
 */
public final class WarmupCosineLr extends ClosedFormLr {
    private final int warmupSteps;
    private final int totalSteps;
    private final double etaMin;

    /**
     * @param warmupSteps W ≥ 0, the steps of linear warmup from 0 to the base rate
     * @param totalSteps T ≥ W, the step at which the cosine reaches η_min
     * @param etaMin the final rate, ≥ 0
     */
    public WarmupCosineLr(Optimizer<?> optimizer, int warmupSteps, int totalSteps, double etaMin) {
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("need 0 ≤ warmupSteps ≤ totalSteps, got " + warmupSteps + " and " + totalSteps);
        }
        Check.nonNegative("eta_min", etaMin);
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.etaMin = etaMin;
        super(optimizer);
    }

    /** Warmup then cosine decay to 0 (HuggingFace's {@code get_cosine_schedule_with_warmup}). */
    public WarmupCosineLr(Optimizer<?> optimizer, int warmupSteps, int totalSteps) {
        this(optimizer, warmupSteps, totalSteps, 0);
    }

    @Override
    protected double lr(int group, int t) {
        double base = baseLr(group);
        if (t < warmupSteps) {
            return base * ((double) t / Math.max(1, warmupSteps));
        }
        if (t >= totalSteps) {
            return etaMin;
        }
        double progress = (double) (t - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return etaMin + (base - etaMin) * (0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }
}
