package fathom.optim;

import fathom.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's {@code AdamW}:
 * {@code p ← p·(1 − lr·λ)} first, then the {@link Adam} step on the plain gradient,
 * {@code p ← p − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)}.
 *
 * <p>Defaults ({@link AdamConfig#adamW(double)}): lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay
 * 0.01. State per parameter as Adam's: {@code step}, {@code exp_avg}, {@code exp_avg_sq}, and
 * {@code max_exp_avg_sq} with amsgrad.
 */
public final class AdamW extends Optimizer<AdamConfig> {
    private final AdamMoments moments = new AdamMoments();

    /** AdamW over {@code params} with one set of hyper-parameters. */
    public AdamW(List<Tensor> params, AdamConfig config) {
        this(List.of(new ParamGroup<>(params, config)));
    }

    /** AdamW over {@code params} with PyTorch's other defaults ({@link AdamConfig#adamW(double)}: weight decay 0.01). */
    public AdamW(List<Tensor> params, double lr) {
        this(params, AdamConfig.adamW(lr));
    }

    /** AdamW over parameter groups, each with its own hyper-parameters. */
    public AdamW(List<ParamGroup<AdamConfig>> groups) {
        super(groups);
    }

    @Override
    protected void update(Tensor p, Tensor grad, AdamConfig c) {
        if (c.weightDecay() != 0) {
            p.mulInPlace(1 - c.lr() * c.weightDecay());
        }
        moments.update(p, grad, c);
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
