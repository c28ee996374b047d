package fathom.optim;

import fathom.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * Parameters that share one set of hyper-parameters, like an entry of PyTorch's
 * {@code optimizer.param_groups}: e.g. biases without weight decay, or a backbone with a smaller lr.
 *
 * @param params leaf tensors, each in at most one group of an optimizer (the list is copied)
 * @param config this group's hyper-parameters
 * @param <C> the optimizer's config record
 */
public record ParamGroup<C extends OptimizerConfig<C>>(List<Tensor> params, C config) {
    public ParamGroup {
        params = List.copyOf(params);
        Objects.requireNonNull(config, "config");
    }

    /** The same parameters with {@code config}. */
    public ParamGroup<C> withConfig(C newConfig) {
        return new ParamGroup<>(params, newConfig);
    }
}
