package fathom.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of {@link Sgd}, PyTorch's {@code SGD} arguments in its order; all but lr default to
 * 0 / false, as in PyTorch.
 *
 * @param lr learning rate, ≥ 0
 * @param momentum momentum factor μ, ≥ 0
 * @param dampening dampening τ of the momentum (0 ≤ τ; nesterov needs 0)
 * @param weightDecay L2 penalty λ added to the gradient, ≥ 0
 * @param nesterov Nesterov momentum (needs momentum > 0 and dampening 0)
 */
public record SgdConfig(double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
        implements OptimizerConfig<SgdConfig> {
    public SgdConfig {
        Check.nonNegative("lr", lr);
        Check.nonNegative("momentum", momentum);
        Check.nonNegative("dampening", dampening);
        Check.nonNegative("weight_decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening, got momentum "
                    + momentum + " and dampening " + dampening);
        }
    }

    /** Plain SGD with learning rate {@code lr}. */
    public SgdConfig(double lr) {
        this(lr, 0, 0, 0, false);
    }

    /** SGD with (heavy-ball) momentum. */
    public SgdConfig(double lr, double momentum) {
        this(lr, momentum, 0, 0, false);
    }

    @Override
    public SgdConfig withLr(double newLr) {
        return new SgdConfig(newLr, momentum, dampening, weightDecay, nesterov);
    }

    public SgdConfig withMomentum(double newMomentum) {
        return new SgdConfig(lr, newMomentum, dampening, weightDecay, nesterov);
    }

    public SgdConfig withWeightDecay(double newWeightDecay) {
        return new SgdConfig(lr, momentum, dampening, newWeightDecay, nesterov);
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("dampening", dampening);
        m.put("weight_decay", weightDecay);
        m.put("nesterov", nesterov ? 1.0 : 0.0);
        return m;
    }

    @Override
    public SgdConfig withHyperParameters(Map<String, Double> v) {
        return new SgdConfig(OptimizerConfig.require(v, "lr"), OptimizerConfig.require(v, "momentum"),
                OptimizerConfig.require(v, "dampening"), OptimizerConfig.require(v, "weight_decay"),
                OptimizerConfig.requireFlag(v, "nesterov"));
    }
}
