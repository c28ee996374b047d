package fathom.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of {@link Adagrad}, PyTorch's {@code Adagrad} arguments in its order.
 * {@link #AdagradConfig(double)} gives PyTorch's defaults: no lr decay, no weight decay, accumulator
 * starting at 0, eps 1e-10 (PyTorch's default lr is 0.01).
 *
 * @param lr learning rate, ≥ 0
 * @param lrDecay δ in the step-t learning rate lr / (1 + (t − 1)·δ), ≥ 0
 * @param weightDecay L2 penalty λ added to the gradient, ≥ 0
 * @param initialAccumulatorValue the starting value of the squared-gradient sum, ≥ 0
 * @param eps added to the denominator for stability, ≥ 0
 */
public record AdagradConfig(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps)
        implements OptimizerConfig<AdagradConfig> {
    public AdagradConfig {
        Check.nonNegative("lr", lr);
        Check.nonNegative("lr_decay", lrDecay);
        Check.nonNegative("weight_decay", weightDecay);
        Check.nonNegative("initial_accumulator_value", initialAccumulatorValue);
        Check.nonNegative("eps", eps);
    }

    /** PyTorch's defaults with learning rate {@code lr}. */
    public AdagradConfig(double lr) {
        this(lr, 0, 0, 0, 1e-10);
    }

    @Override
    public AdagradConfig withLr(double newLr) {
        return new AdagradConfig(newLr, lrDecay, weightDecay, initialAccumulatorValue, eps);
    }

    public AdagradConfig withWeightDecay(double newWeightDecay) {
        return new AdagradConfig(lr, lrDecay, newWeightDecay, initialAccumulatorValue, eps);
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lr", lr);
        m.put("lr_decay", lrDecay);
        m.put("weight_decay", weightDecay);
        m.put("initial_accumulator_value", initialAccumulatorValue);
        m.put("eps", eps);
        return m;
    }

    @Override
    public AdagradConfig withHyperParameters(Map<String, Double> v) {
        return new AdagradConfig(OptimizerConfig.require(v, "lr"), OptimizerConfig.require(v, "lr_decay"),
                OptimizerConfig.require(v, "weight_decay"), OptimizerConfig.require(v, "initial_accumulator_value"),
                OptimizerConfig.require(v, "eps"));
    }
}
