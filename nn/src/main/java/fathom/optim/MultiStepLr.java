package fathom.optim;

import java.util.Arrays;

/**
 * Decays each group's learning rate by γ at each milestone: {@code lr(t) = base·γ^k} with k the number
 * of milestones ≤ t (a milestone listed twice counts twice), as PyTorch's {@code MultiStepLR}.
 */
public final class MultiStepLr extends ClosedFormLr {
    private final int[] milestones;
    private final double gamma;

    /**
     * @param milestones steps at which the rate drops, each ≥ 0, in any order
     * @param gamma multiplicative factor, ≥ 0 (PyTorch's default 0.1)
     */
    public MultiStepLr(Optimizer<?> optimizer, int[] milestones, double gamma) {
        for (int m : milestones) {
            if (m < 0) {
                throw new IllegalArgumentException("invalid milestone " + m + " (must be ≥ 0)");
            }
        }
        Check.nonNegative("gamma", gamma);
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        this.milestones = sorted;
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double lr(int group, int t) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= t) {
            passed++;
        }
        return baseLr(group) * Math.pow(gamma, passed);
    }
}
