package fathom.optim;

import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Multiplies every group's learning rate by {@code factor} (not below its minimum) once the metric
 * passed to {@link #step(double)} has not improved for more than {@code patience} steps, as PyTorch's
 * {@code ReduceLROnPlateau}: {@code lr ← max(lr·factor, minLr)} when the change exceeds {@code eps}.
 *
 * <p>A metric a improves on the best b when {@code a < b·(1 − threshold)} (mode MIN, relative),
 * {@code a < b − threshold} (MIN, absolute), {@code a > b·(1 + threshold)} (MAX, relative) or
 * {@code a > b + threshold} (MAX, absolute). After a reduction, {@code cooldown} steps pass in which bad
 * steps are not counted. A NaN metric never improves. {@link #step()} without a metric is refused.
 */
public final class ReduceLrOnPlateau implements LrScheduler {
    /** Whether a lower or a higher metric is better. */
    public enum Mode {
        MIN,
        MAX
    }

    /**
     * The policy, PyTorch's arguments in its order ({@code verbose} aside; the minimum rate may also be
     * given per group to the constructor).
     *
     * @param mode MIN for a loss, MAX for an accuracy (MIN)
     * @param factor multiplies the rate on a plateau, in [0, 1) (0.1)
     * @param patience bad steps tolerated before reducing, ≥ 0 (10)
     * @param threshold how much better counts as an improvement, ≥ 0 (1e-4)
     * @param relative whether the threshold is relative to the best metric (true, PyTorch's "rel") or absolute
     * @param cooldown steps after a reduction in which bad steps are ignored, ≥ 0 (0)
     * @param minLr the lowest rate of every group, ≥ 0 (0)
     * @param eps a reduction smaller than this is skipped, ≥ 0 (1e-8)
     */
    public record Policy(Mode mode, double factor, int patience, double threshold, boolean relative, int cooldown,
            double minLr, double eps) {
        /** PyTorch's defaults for {@code mode}. */
        public static Policy defaults(Mode mode) {
            return new Policy(mode, 0.1, 10, 1e-4, true, 0, 0, 1e-8);
        }

        public Policy {
            Objects.requireNonNull(mode, "mode");
            if (!(factor >= 0 && factor < 1)) {
                throw new IllegalArgumentException("invalid factor: " + factor + " (must be in [0, 1))");
            }
            if (patience < 0 || cooldown < 0) {
                throw new IllegalArgumentException("patience and cooldown must be ≥ 0, got " + patience + " and " + cooldown);
            }
            Check.nonNegative("threshold", threshold);
            Check.nonNegative("min_lr", minLr);
            Check.nonNegative("eps", eps);
        }

        public Policy withFactor(double newFactor) {
            return new Policy(mode, newFactor, patience, threshold, relative, cooldown, minLr, eps);
        }

        public Policy withPatience(int newPatience) {
            return new Policy(mode, factor, newPatience, threshold, relative, cooldown, minLr, eps);
        }

        public Policy withCooldown(int newCooldown) {
            return new Policy(mode, factor, patience, threshold, relative, newCooldown, minLr, eps);
        }

        public Policy withMinLr(double newMinLr) {
            return new Policy(mode, factor, patience, threshold, relative, cooldown, newMinLr, eps);
        }
    }

    private final Optimizer<?> optimizer;
    private final Policy policy;
    private final double[] minLrs;
    private int lastEpoch;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;

    /** With PyTorch's defaults for {@code mode}. */
    public ReduceLrOnPlateau(Optimizer<?> optimizer, Mode mode) {
        this(optimizer, Policy.defaults(mode));
    }

    /** With {@code policy.minLr()} for every group. */
    public ReduceLrOnPlateau(Optimizer<?> optimizer, Policy policy) {
        this(optimizer, policy, filled(policy.minLr(), optimizer.groupCount()));
    }

    /** With a minimum rate per parameter group ({@code policy.minLr()} is not used). */
    public ReduceLrOnPlateau(Optimizer<?> optimizer, Policy policy, double[] minLrs) {
        if (minLrs.length != optimizer.groupCount()) {
            throw new IllegalArgumentException("expected " + optimizer.groupCount() + " min_lrs, got " + minLrs.length);
        }
        for (double m : minLrs) {
            Check.nonNegative("min_lr", m);
        }
        this.optimizer = optimizer;
        this.policy = policy;
        this.minLrs = minLrs.clone();
        this.best = worst();
    }

    private static double[] filled(double v, int n) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private double worst() {
        return policy.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Refused: this schedule needs the metric. */
    @Override
    public void step() {
        throw new IllegalStateException("ReduceLrOnPlateau needs the monitored metric: call step(metric)");
    }

    @Override
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > policy.patience()) {
            for (int g = 0; g < minLrs.length; g++) {
                double old = optimizer.lr(g);
                double reduced = Math.max(old * policy.factor(), minLrs[g]);
                if (old - reduced > policy.eps()) {
                    optimizer.setLr(g, reduced);
                }
            }
            cooldownCounter = policy.cooldown();
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        double t = policy.threshold();
        if (policy.mode() == Mode.MIN) {
            return policy.relative() ? a < best * (1. - t) : a < best - t;
        }
        return policy.relative() ? a > best * (t + 1.) : a > best + t;
    }

    /** The best metric so far (infinitely bad before the first step). */
    public double best() {
        return best;
    }

    /** Number of {@link #step(double)} calls so far. */
    public int lastEpoch() {
        return lastEpoch;
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("last_epoch", Tensors.scalar(lastEpoch, DType.INT64));
        m.put("best", Tensors.scalar(best, DType.FLOAT64));
        m.put("num_bad_epochs", Tensors.scalar(numBadEpochs, DType.INT64));
        m.put("cooldown_counter", Tensors.scalar(cooldownCounter, DType.INT64));
        return m;
    }

    /** Restores the counters and the best metric; the learning rates are the optimizer's (restore it too). */
    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        Set<String> unknown = new TreeSet<>(state.keySet());
        unknown.removeAll(Set.of("last_epoch", "best", "num_bad_epochs", "cooldown_counter"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown scheduler state " + unknown);
        }
        int epoch = (int) StateEntry.integer(state, "last_epoch");
        double b = StateEntry.real(state, "best");
        int bad = (int) StateEntry.integer(state, "num_bad_epochs");
        int cool = (int) StateEntry.integer(state, "cooldown_counter");
        lastEpoch = epoch;
        best = b;
        numBadEpochs = bad;
        cooldownCounter = cool;
    }
}
