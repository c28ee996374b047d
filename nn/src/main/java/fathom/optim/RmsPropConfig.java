package fathom.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of {@link RmsProp}, PyTorch's {@code RMSprop} arguments in its order.
 * {@link #RmsPropConfig(double)} gives PyTorch's defaults: alpha 0.99, eps 1e-8, no weight decay, no
 * momentum, not centered (PyTorch's default lr is 0.01).
 *
 * @param lr learning rate, ≥ 0
 * @param alpha decay α of the squared-gradient average, in [0, 1]
 * @param eps added to the denominator for stability, ≥ 0
 * @param weightDecay L2 penalty λ added to the gradient, ≥ 0
 * @param momentum momentum μ of the update buffer, ≥ 0 (0: none)
 * @param centered divide by the estimated variance (subtract the squared mean gradient) instead of the second moment
 */
public record RmsPropConfig(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered)
        implements OptimizerConfig<RmsPropConfig> {
    public RmsPropConfig {
        Check.nonNegative("lr", lr);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("invalid alpha: " + alpha + " (must be in [0, 1])");
        }
        Check.nonNegative("eps", eps);
        Check.nonNegative("weight_decay", weightDecay);
        Check.nonNegative("momentum", momentum);
    }

    /** PyTorch's defaults with learning rate {@code lr}. */
    public RmsPropConfig(double lr) {
        this(lr, 0.99, 1e-8, 0, 0, false);
    }

    @Override
    public RmsPropConfig withLr(double newLr) {
        return new RmsPropConfig(newLr, alpha, eps, weightDecay, momentum, centered);
    }

    public RmsPropConfig withMomentum(double newMomentum) {
        return new RmsPropConfig(lr, alpha, eps, weightDecay, newMomentum, centered);
    }

    public RmsPropConfig withWeightDecay(double newWeightDecay) {
        return new RmsPropConfig(lr, alpha, eps, newWeightDecay, momentum, centered);
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lr", lr);
        m.put("alpha", alpha);
        m.put("eps", eps);
        m.put("weight_decay", weightDecay);
        m.put("momentum", momentum);
        m.put("centered", centered ? 1.0 : 0.0);
        return m;
    }

    @Override
    public RmsPropConfig withHyperParameters(Map<String, Double> v) {
        return new RmsPropConfig(OptimizerConfig.require(v, "lr"), OptimizerConfig.require(v, "alpha"),
                OptimizerConfig.require(v, "eps"), OptimizerConfig.require(v, "weight_decay"),
                OptimizerConfig.require(v, "momentum"), OptimizerConfig.requireFlag(v, "centered"));
    }
}
