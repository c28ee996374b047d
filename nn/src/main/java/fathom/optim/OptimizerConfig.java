package fathom.optim;

import java.util.Map;

/**
 * The hyper-parameters of one optimizer for one {@link ParamGroup}: a record per optimizer
 * ({@link SgdConfig}, {@link AdamConfig}, {@link RmsPropConfig}, {@link AdagradConfig}), typed where
 * PyTorch's {@code param_groups} are dicts.
 *
 * <p>{@link #hyperParameters()} and {@link #withHyperParameters(Map)} name the values as PyTorch's
 * param-group keys do ({@code lr}, {@code weight_decay}, ...; booleans as 0 or 1) so that
 * {@link Optimizer#stateDict()} can store them and {@link Optimizer#loadStateDict(Map)} restore them.
 *
 * @param <C> the record implementing this interface
 */
public interface OptimizerConfig<C extends OptimizerConfig<C>> {
    /** The learning rate. */
    double lr();

    /** A copy with the learning rate replaced (schedules use this; validated like the constructor). */
    C withLr(double lr);

    /** Every hyper-parameter by its PyTorch param-group name, in a fixed order; booleans as 0 or 1. */
    Map<String, Double> hyperParameters();

    /**
     * A config made from the values {@link #hyperParameters()} names; every name must be present.
     *
     * @throws IllegalArgumentException when a name is missing or a value is invalid
     */
    C withHyperParameters(Map<String, Double> values);

    /** The value named {@code name} in {@code values}, or an IllegalArgumentException naming it. */
    static double require(Map<String, Double> values, String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing hyper-parameter '" + name + "'");
        }
        return v;
    }

    /** {@code require(values, name)} read as a boolean stored as 0 or 1. */
    static boolean requireFlag(Map<String, Double> values, String name) {
        double v = require(values, name);
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("hyper-parameter '" + name + "' is a flag (0 or 1), got " + v);
        }
        return v == 1;
    }
}
