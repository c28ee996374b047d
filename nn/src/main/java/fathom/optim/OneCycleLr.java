package fathom.optim;

import java.util.Arrays;
import java.util.Objects;

/**
 * The 1cycle policy (Smith and Topin), as PyTorch's {@code OneCycleLR}: the rate anneals from
 * {@code maxLr / divFactor} up to {@code maxLr} over the first {@code pctStart·totalSteps − 1} steps,
 * then down to {@code maxLr / (divFactor·finalDivFactor)} at step {@code totalSteps − 1}; each phase
 * anneals by {@code end + (start − end)·(1 + cos(π·p)) / 2} (or linearly) with p the fraction of the
 * phase done. With {@code threePhase} the rate goes back down to the initial rate symmetrically first,
 * and only the third phase anneals to the minimum.
 *
 * <p>The optimizer's own learning rates are ignored: {@code maxLr} sets them (it replaces them at
 * construction, as PyTorch does). Stepping past {@code totalSteps} is an error, as in PyTorch. Step
 * {@code totalSteps} itself (the rate after the last optimizer step of the cycle, which no step uses)
 * holds the minimum rate; PyTorch extrapolates the last phase there, which is negative with linear
 * annealing. Momentum cycling
 * (PyTorch's default {@code cycle_momentum=True}) is not implemented: momentum and betas stay as
 * configured, which is PyTorch with {@code cycle_momentum=False}.
 */
public final class OneCycleLr extends ClosedFormLr {
    /** How each phase moves between its start and end rates. */
    public enum Anneal {
        /** {@code end + (start − end)·(1 + cos(π·p)) / 2} (PyTorch's default). */
        COS,
        /** {@code start + (end − start)·p}. */
        LINEAR
    }

    /**
     * The shape of the cycle, PyTorch's arguments after {@code total_steps} (momentum cycling aside).
     *
     * @param pctStart fraction of the steps spent increasing the rate, in [0, 1] (0.3)
     * @param anneal cosine or linear annealing (cosine)
     * @param divFactor initial rate = maxLr / divFactor, > 0 (25)
     * @param finalDivFactor minimum rate = initial rate / finalDivFactor, > 0 (1e4)
     * @param threePhase go up, back down to the initial rate, then to the minimum (false)
     */
    public record Cycle(double pctStart, Anneal anneal, double divFactor, double finalDivFactor, boolean threePhase) {
        /** PyTorch's defaults: 0.3, cosine, 25, 1e4, two phases. */
        public static final Cycle DEFAULT = new Cycle(0.3, Anneal.COS, 25, 1e4, false);

        public Cycle {
            if (!(pctStart >= 0 && pctStart <= 1)) {
                throw new IllegalArgumentException("invalid pct_start: " + pctStart + " (must be in [0, 1])");
            }
            Objects.requireNonNull(anneal, "anneal");
            Check.positive("div_factor", divFactor);
            Check.positive("final_div_factor", finalDivFactor);
        }
    }

    private final double[] maxLrs;
    private final int totalSteps;
    private final Cycle cycle;
    /** The step at which each phase ends (PyTorch's float {@code end_step}). */
    private final double[] phaseEnds;

    /** A one-cycle schedule with PyTorch's defaults peaking at {@code maxLr} for every group. */
    public OneCycleLr(Optimizer<?> optimizer, double maxLr, int totalSteps) {
        this(optimizer, fill(maxLr, optimizer.groupCount()), totalSteps, Cycle.DEFAULT);
    }

    /**
     * @param maxLrs the peak rate per parameter group, each > 0
     * @param totalSteps the number of steps in the cycle, > 0
     */
    public OneCycleLr(Optimizer<?> optimizer, double[] maxLrs, int totalSteps, Cycle cycle) {
        if (maxLrs.length != optimizer.groupCount()) {
            throw new IllegalArgumentException("expected " + optimizer.groupCount() + " values for max_lr, got " + maxLrs.length);
        }
        for (double m : maxLrs) {
            Check.positive("max_lr", m);
        }
        Check.positive("total_steps", totalSteps);
        double end1 = cycle.pctStart() * totalSteps - 1;
        double[] ends = cycle.threePhase()
                ? new double[] {end1, 2 * cycle.pctStart() * totalSteps - 2, totalSteps - 1}
                : new double[] {end1, totalSteps - 1};
        double start = 0;
        for (double e : ends) {
            if (e == start) {
                throw new IllegalArgumentException("a phase of the cycle is empty (ends at step " + e + "): use more"
                        + " total_steps or another pct_start than " + totalSteps + " and " + cycle.pctStart());
            }
            start = e;
        }
        this.maxLrs = maxLrs.clone();
        this.totalSteps = totalSteps;
        this.cycle = cycle;
        this.phaseEnds = ends;
        super(optimizer);
    }

    private static double[] fill(double v, int n) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    @Override
    public void step() {
        if (lastEpoch() + 1 > totalSteps) {
            throw new IllegalStateException("tried to step " + (lastEpoch() + 2) + " times; the cycle has "
                    + totalSteps + " total steps");
        }
        super.step();
    }

    @Override
    protected double lr(int group, int t) {
        double initial = maxLrs[group] / cycle.divFactor();
        double max = maxLrs[group];
        double min = initial / cycle.finalDivFactor();
        double[] from = cycle.threePhase() ? new double[] {initial, max, initial} : new double[] {initial, max};
        double[] to = cycle.threePhase() ? new double[] {max, initial, min} : new double[] {max, min};
        int step = Math.min(t, totalSteps - 1);
        double start = 0;
        for (int i = 0; i < phaseEnds.length; i++) {
            double end = phaseEnds[i];
            if (step <= end || i == phaseEnds.length - 1) {
                double pct = (step - start) / (end - start);
                return cycle.anneal() == Anneal.COS
                        ? to[i] + (from[i] - to[i]) / 2.0 * (Math.cos(Math.PI * pct) + 1)
                        : (to[i] - from[i]) * pct + from[i];
            }
            start = end;
        }
        throw new AssertionError("the last phase always matches");
    }
}
