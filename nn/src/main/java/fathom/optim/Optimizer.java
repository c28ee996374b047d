package fathom.optim;

import fathom.Autograd;
import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Updates parameters from their gradients: {@link #step()} applies {@code p ← update(p, p.grad)} to
 * every parameter of every {@link ParamGroup} whose gradient is not null, with that group's
 * hyper-parameters, inside {@link Autograd#noGrad()}, as PyTorch's {@code optimizer.step()}.
 *
 * <p>Parameters are plain leaf tensors (a module's {@code parameters()} list, or any tensors with
 * {@code requiresGrad(true)}); a parameter without a gradient is skipped and gets no state. Updates run
 * as in-place tensor ops on whatever backend is current; SGD's momentum step and Adam's step are each
 * one {@link fathom.ParameterUpdates} call, which the CPU backend makes one pass over a float32
 * parameter and its state, with the values the in-place ops give.
 *
 * <p>{@link #stateDict()} holds everything a resumed run needs to continue bit for bit, under
 * PyTorch's names: {@code param_groups.G.params} (int64 indices of the group's parameters, numbered
 * across groups in order), {@code param_groups.G.lr} and the other hyper-parameters (0-d float64),
 * and per parameter index {@code I} its state, e.g. {@code state.I.exp_avg} (shaped and typed like the
 * parameter) and {@code state.I.step} (0-d int64). It can be written as is with
 * {@link fathom.io.Safetensors#write}.
 *
 * @param <C> the optimizer's hyper-parameter record
 */
public abstract class Optimizer<C extends OptimizerConfig<C>> {
    /** The name of the per-parameter step count in the state; stored as a 0-d int64 tensor. */
    protected static final String STEP = "step";

    private final List<ParamGroup<C>> groups = new ArrayList<>();
    private final List<Tensor> params = new ArrayList<>();
    private final Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    /** An optimizer over {@code groups}, each with its own hyper-parameters. */
    protected Optimizer(List<ParamGroup<C>> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("an optimizer needs at least one parameter group");
        }
        for (ParamGroup<C> g : groups) {
            addParamGroup(g);
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException("an optimizer got an empty parameter list");
        }
    }

    /** Applies the update of one parameter; called under no-grad with a non-null gradient of its shape. */
    protected abstract void update(Tensor param, Tensor grad, C config);

    /** The state of {@code param} by name (live tensors, the step as a 0-d int64), empty before its first update. */
    protected abstract Map<String, Tensor> state(Tensor param);

    /** The state names a parameter of a group with {@code config} must have once it has state. */
    protected abstract Set<String> requiredState(C config);

    /** Every state name this optimizer can hold. */
    protected abstract Set<String> knownState();

    /**
     * Replaces the state of {@code param} with {@code state}: tensors already validated (shapes, dtypes,
     * names) and owned by the optimizer (copies); empty to clear the state.
     */
    protected abstract void setState(Tensor param, Map<String, Tensor> state);

    /** Adds a group of parameters (none may already be in this optimizer), as PyTorch's {@code add_param_group}. */
    public final void addParamGroup(ParamGroup<C> group) {
        for (Tensor p : group.params()) {
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("can't optimize a non-leaf tensor (shape " + p.shape()
                        + ", made by " + p.gradFn() + "); optimize the leaf it was computed from");
            }
            if (!p.dtype().isFloating()) {
                throw new IllegalArgumentException("can only optimize floating-point tensors, got " + p.dtype());
            }
            if (seen.contains(p)) {
                throw new IllegalArgumentException("a parameter (shape " + p.shape() + ") appears in more than one"
                        + " parameter group, or twice in one");
            }
            seen.add(p);
        }
        params.addAll(group.params());
        groups.add(group);
    }

    /** Updates every parameter that has a gradient, without recording the ops for autograd. */
    public void step() {
        try (var _ = Autograd.noGrad()) {
            for (ParamGroup<C> g : groups) {
                for (Tensor p : g.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) {
                        continue;
                    }
                    if (!grad.shape().equals(p.shape())) {
                        throw new IllegalStateException("the gradient of a " + p.shape() + " parameter has shape "
                                + grad.shape());
                    }
                    update(p, grad.detach(), g.config());
                }
            }
        }
    }

    /** Sets every parameter's gradient to null (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Sets every parameter's gradient to null, or with {@code setToNone} false zeroes each in place and keeps it
     * for the next backward pass to add into, which is faster on the JVM ({@link Tensor#zeroGrad(boolean)}).
     * As in PyTorch, a kept zero gradient still counts as a gradient: a stateful optimizer moves a parameter that
     * missed a step's backward pass by its momentum, where a null gradient would make it skip the parameter.
     */
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : params) {
            p.zeroGrad(setToNone);
        }
    }

    /** The parameter groups, in order (an unmodifiable snapshot). */
    public List<ParamGroup<C>> paramGroups() {
        return List.copyOf(groups);
    }

    /** Number of parameter groups. */
    public int groupCount() {
        return groups.size();
    }

    /** Every parameter, groups in order: index {@code I} is the one {@code state.I.*} names. */
    public List<Tensor> params() {
        return List.copyOf(params);
    }

    /** The hyper-parameters of group {@code group}. */
    public C config(int group) {
        return groups.get(group).config();
    }

    /** Replaces the hyper-parameters of group {@code group}; the state is kept. */
    public void setConfig(int group, C config) {
        groups.set(group, groups.get(group).withConfig(config));
    }

    /** The learning rate of group {@code group}. */
    public double lr(int group) {
        return config(group).lr();
    }

    /** Sets the learning rate of group {@code group} (schedules call this). */
    public void setLr(int group, double lr) {
        setConfig(group, config(group).withLr(lr));
    }

    /** Sets the learning rate of every group. */
    public void setLr(double lr) {
        for (int g = 0; g < groups.size(); g++) {
            setLr(g, lr);
        }
    }

    /** A snapshot (copies) of the hyper-parameters and state; see the class comment for the names. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup<C> group = groups.get(g);
            long[] ids = new long[group.params().size()];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = index++;
            }
            out.put("param_groups." + g + ".params", Tensors.of(ids));
            for (Map.Entry<String, Double> e : group.config().hyperParameters().entrySet()) {
                out.put("param_groups." + g + "." + e.getKey(), Tensors.scalar(e.getValue(), DType.FLOAT64));
            }
        }
        for (int i = 0; i < params.size(); i++) {
            for (Map.Entry<String, Tensor> e : state(params.get(i)).entrySet()) {
                out.put("state." + i + "." + e.getKey(), e.getValue().detach().clone());
            }
        }
        return out;
    }

    /**
     * Restores hyper-parameters and state from {@link #stateDict()} of an optimizer of the same kind over
     * parameters of the same shapes, grouped the same way; tensors are copied. Everything is checked
     * before anything changes.
     *
     * @throws IllegalArgumentException naming the first mismatch: group or parameter counts, a missing,
     *     unknown or invalid hyper-parameter, a state tensor of the wrong shape or dtype, an unknown key
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        Set<String> unused = new TreeSet<>(stateDict.keySet());
        int dictGroups = 0;
        while (stateDict.containsKey("param_groups." + dictGroups + ".params")) {
            dictGroups++;
        }
        if (dictGroups != groups.size()) {
            throw new IllegalArgumentException("the state dict has " + dictGroups + " parameter groups, this optimizer "
                    + groups.size());
        }
        List<C> configs = new ArrayList<>();
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            String prefix = "param_groups." + g + ".";
            ParamGroup<C> group = groups.get(g);
            long[] ids = take(stateDict, unused, prefix + "params").toLongArray();
            long[] expected = new long[group.params().size()];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = index++;
            }
            if (ids.length != expected.length) {
                throw new IllegalArgumentException("parameter group " + g + " has " + ids.length
                        + " parameters in the state dict, " + expected.length + " in this optimizer");
            }
            if (!Arrays.equals(ids, expected)) {
                throw new IllegalArgumentException("parameter group " + g + " lists parameters " + Arrays.toString(ids)
                        + " in the state dict, expected " + Arrays.toString(expected));
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (String name : group.config().hyperParameters().keySet()) {
                Tensor v = stateDict.get(prefix + name);
                if (v == null) {
                    throw new IllegalArgumentException("the state dict has no " + prefix + name);
                }
                if (v.numel() != 1) {
                    throw new IllegalArgumentException(prefix + name + " must hold one value, got shape " + v.shape());
                }
                unused.remove(prefix + name);
                values.put(name, v.item());
            }
            try {
                configs.add(group.config().withHyperParameters(values));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter group " + g + " in the state dict: " + e.getMessage(), e);
            }
        }
        List<Map<String, Tensor>> states = new ArrayList<>();
        int i = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (Tensor p : groups.get(g).params()) {
                states.add(readState(stateDict, unused, i++, p, configs.get(g)));
            }
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("the state dict has keys this optimizer does not know: " + unused);
        }
        for (int g = 0; g < groups.size(); g++) {
            setConfig(g, configs.get(g));
        }
        for (int k = 0; k < params.size(); k++) {
            setState(params.get(k), states.get(k));
        }
    }

    private Map<String, Tensor> readState(Map<String, Tensor> dict, Set<String> unused, int i, Tensor p, C config) {
        String prefix = "state." + i + ".";
        Map<String, Tensor> state = new LinkedHashMap<>();
        // sorted: Set.of iterates in an order that changes between runs, and the first error must not
        for (String name : new TreeSet<>(knownState())) {
            Tensor t = dict.get(prefix + name);
            if (t == null) {
                continue;
            }
            unused.remove(prefix + name);
            if (name.equals(STEP)) {
                if (t.dim() != 0 || t.dtype() != DType.INT64) {
                    throw new IllegalArgumentException(prefix + name + " must be a 0-d int64 tensor, got " + t.dtype()
                            + " of shape " + t.shape());
                }
            } else if (!t.shape().equals(p.shape()) || t.dtype() != p.dtype()) {
                throw new IllegalArgumentException(prefix + name + " is " + t.dtype() + " of shape " + t.shape()
                        + " but parameter " + i + " is " + p.dtype() + " of shape " + p.shape());
            }
            state.put(name, t.detach().clone());
        }
        if (!state.isEmpty() && !state.keySet().containsAll(requiredState(config))) {
            Set<String> missing = new TreeSet<>(requiredState(config));
            missing.removeAll(state.keySet());
            throw new IllegalArgumentException("the state of parameter " + i + " lacks " + missing);
        }
        return state;
    }

    private static Tensor take(Map<String, Tensor> dict, Set<String> unused, String key) {
        unused.remove(key);
        return dict.get(key);
    }

    // ---- helpers for the update rules ----

    /** A 0-d tensor holding {@code value} in {@code like}'s dtype, to broadcast in an in-place op. */
    protected static Tensor scalar(double value, Tensor like) {
        return Tensors.scalar(value, like.dtype());
    }

    /** {@code grad + weightDecay·param} as a new tensor (PyTorch's coupled L2 penalty), or grad when 0. */
    protected static Tensor withWeightDecay(Tensor grad, Tensor param, double weightDecay) {
        return weightDecay == 0 ? grad : param.mul(weightDecay).addInPlace(grad);
    }

    /** A 0-d int64 tensor holding a step count. */
    protected static Tensor stepTensor(long step) {
        return Tensors.of(new long[] {step}).reshape();
    }

    /** The count a {@link #stepTensor(long)} holds. */
    protected static long stepOf(Tensor step) {
        return step.toLongArray()[0];
    }
}
