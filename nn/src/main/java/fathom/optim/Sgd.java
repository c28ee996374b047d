package fathom.optim;

import fathom.ParameterUpdates;
import fathom.Tensor;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent, as PyTorch's {@code SGD}: {@code g ← ∇ + λ·p}; with momentum μ,
 * {@code b ← g} on the first step and {@code b ← μ·b + (1 − τ)·g} after, then {@code g ← g + μ·b}
 * (Nesterov) or {@code g ← b}; finally {@code p ← p − lr·g}.
 *
 * <p>The first momentum step copies the gradient into the buffer without dampening, as PyTorch does.
 * State per parameter: {@code momentum_buffer} (only with momentum).
 */
public final class Sgd extends Optimizer<SgdConfig> {
    private final Map<Tensor, Tensor> buffers = new IdentityHashMap<>();

    /** SGD over {@code params} with one set of hyper-parameters. */
    public Sgd(List<Tensor> params, SgdConfig config) {
        this(List.of(new ParamGroup<>(params, config)));
    }

    /** Plain SGD over {@code params} with learning rate {@code lr}. */
    public Sgd(List<Tensor> params, double lr) {
        this(params, new SgdConfig(lr));
    }

    /** SGD over parameter groups, each with its own hyper-parameters. */
    public Sgd(List<ParamGroup<SgdConfig>> groups) {
        super(groups);
    }

    @Override
    protected void update(Tensor p, Tensor grad, SgdConfig c) {
        Tensor d = withWeightDecay(grad, p, c.weightDecay());
        if (c.momentum() != 0) {
            Tensor buf = buffers.get(p);
            if (buf != null && !c.nesterov()) {
                // the buffer and the parameter in one pass
                ParameterUpdates.sgdMomentum(p, buf, d, c.momentum(), c.dampening(), c.lr());
                return;
            }
            if (buf == null) {
                buf = d.clone();
                buffers.put(p, buf);
            } else {
                buf.mulInPlace(c.momentum()).addInPlace(d, 1 - c.dampening());
            }
            // Nesterov's step is a fresh tensor: d may be the caller's gradient, which must not change
            d = c.nesterov() ? buf.mul(c.momentum()).addInPlace(d) : buf;
        }
        p.addInPlace(d, -c.lr());
    }

    @Override
    protected Map<String, Tensor> state(Tensor param) {
        Map<String, Tensor> s = new LinkedHashMap<>();
        Tensor buf = buffers.get(param);
        if (buf != null) {
            s.put("momentum_buffer", buf);
        }
        return s;
    }

    @Override
    protected Set<String> requiredState(SgdConfig config) {
        return config.momentum() != 0 ? Set.of("momentum_buffer") : Set.of();
    }

    @Override
    protected Set<String> knownState() {
        return Set.of("momentum_buffer");
    }

    @Override
    protected void setState(Tensor param, Map<String, Tensor> state) {
        Tensor buf = state.get("momentum_buffer");
        if (buf == null) {
            buffers.remove(param);
        } else {
            buffers.put(param, buf);
        }
    }
}
