package fathom.optim;

import fathom.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam, as PyTorch's {@code Adam}: with {@code g ← ∇ + λ·p}, {@code m ← β₁·m + (1 − β₁)·g},
 * {@code v ← β₂·v + (1 − β₂)·g²} and {@code p ← p − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)},
 * with {@code max(v)} over all steps in place of v when {@code amsgrad}.
 *
 * <p>The weight decay here is PyTorch's coupled L2 penalty; {@link AdamW} decouples it. Defaults
 * ({@link AdamConfig#adam(double)}): lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. State per
 * parameter: {@code step}, {@code exp_avg}, {@code exp_avg_sq}, and {@code max_exp_avg_sq} with amsgrad.
 */
public final class Adam extends Optimizer<AdamConfig> {
    private final AdamMoments moments = new AdamMoments();

    /** Adam over {@code params} with one set of hyper-parameters. */
    public Adam(List<Tensor> params, AdamConfig config) {
        this(List.of(new ParamGroup<>(params, config)));
    }

    /** Adam over {@code params} with PyTorch's other defaults ({@link AdamConfig#adam(double)}). */
    public Adam(List<Tensor> params, double lr) {
        this(params, AdamConfig.adam(lr));
    }

    /** Adam over parameter groups, each with its own hyper-parameters. */
    public Adam(List<ParamGroup<AdamConfig>> groups) {
        super(groups);
    }

    @Override
    protected void update(Tensor p, Tensor grad, AdamConfig c) {
        moments.update(p, withWeightDecay(grad, p, c.weightDecay()), c);
    }

    @Override
    protected Map<String, Tensor> state(Tensor param) {
        return moments.state(param);
    }

    @Override
    protected Set<String> requiredState(AdamConfig config) {
        return AdamMoments.required(config);
    }

    @Override
    protected Set<String> knownState() {
        return AdamMoments.KNOWN;
    }

    @Override
    protected void setState(Tensor param, Map<String, Tensor> state) {
        moments.set(param, state);
    }
}
