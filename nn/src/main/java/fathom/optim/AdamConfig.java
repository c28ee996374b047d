package fathom.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of {@link Adam} and {@link AdamW}, PyTorch's arguments in its order (betas as two
 * components). {@link #adam(double)} and {@link #adamW(double)} give PyTorch's defaults, which differ only
 * in weight decay: 0 for Adam, 0.01 for AdamW.
 *
 * @param lr learning rate, ≥ 0
 * @param beta1 decay of the first-moment average, in [0, 1)
 * @param beta2 decay of the second-moment average, in [0, 1)
 * @param eps added to the denominator for stability, ≥ 0
 * @param weightDecay λ: Adam adds λ·p to the gradient, AdamW multiplies p by 1 − lr·λ; ≥ 0
 * @param amsgrad normalize by the running maximum of the second moment (AMSGrad)
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
        implements OptimizerConfig<AdamConfig> {
    public AdamConfig {
        Check.nonNegative("lr", lr);
        Check.unitInterval("beta1", beta1);
        Check.unitInterval("beta2", beta2);
        Check.nonNegative("eps", eps);
        Check.nonNegative("weight_decay", weightDecay);
    }

    /** PyTorch's Adam defaults with learning rate {@code lr}: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static AdamConfig adam(double lr) {
        return new AdamConfig(lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** PyTorch's AdamW defaults with learning rate {@code lr}: as {@link #adam(double)} with weight decay 0.01. */
    public static AdamConfig adamW(double lr) {
        return new AdamConfig(lr, 0.9, 0.999, 1e-8, 1e-2, false);
    }

    @Override
    public AdamConfig withLr(double newLr) {
        return new AdamConfig(newLr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    public AdamConfig withBetas(double newBeta1, double newBeta2) {
        return new AdamConfig(lr, newBeta1, newBeta2, eps, weightDecay, amsgrad);
    }

    public AdamConfig withEps(double newEps) {
        return new AdamConfig(lr, beta1, beta2, newEps, weightDecay, amsgrad);
    }

    public AdamConfig withWeightDecay(double newWeightDecay) {
        return new AdamConfig(lr, beta1, beta2, eps, newWeightDecay, amsgrad);
    }

    public AdamConfig withAmsgrad(boolean newAmsgrad) {
        return new AdamConfig(lr, beta1, beta2, eps, weightDecay, newAmsgrad);
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lr", lr);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("eps", eps);
        m.put("weight_decay", weightDecay);
        m.put("amsgrad", amsgrad ? 1.0 : 0.0);
        return m;
    }

    @Override
    public AdamConfig withHyperParameters(Map<String, Double> v) {
        return new AdamConfig(OptimizerConfig.require(v, "lr"), OptimizerConfig.require(v, "beta1"),
                OptimizerConfig.require(v, "beta2"), OptimizerConfig.require(v, "eps"),
                OptimizerConfig.require(v, "weight_decay"), OptimizerConfig.requireFlag(v, "amsgrad"));
    }
}
