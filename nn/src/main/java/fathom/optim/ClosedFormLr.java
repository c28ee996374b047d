package fathom.optim;

import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A schedule whose learning rate is a function of the step count: {@code lr_g(t) = f(base_g, t)} for
 * group g, with {@code base_g} the group's learning rate when the schedule was built and t the number
 * of {@link #step()} calls so far (PyTorch's {@code last_epoch}).
 *
 * <p>PyTorch computes most of these recursively from the previous rate (its "chainable" form); the
 * closed form here gives the same values to about 1e-16 relative and makes a resumed run depend only on
 * t. Subclasses set their own fields before calling {@code super(optimizer)} (a flexible constructor
 * body), because this constructor already applies {@code lr(g, 0)}.
 */
public abstract class ClosedFormLr implements LrScheduler {
    protected final Optimizer<?> optimizer;
    private final double[] baseLrs;
    private int lastEpoch;

    /** Records each group's current learning rate as its base and applies the rate for step 0. */
    protected ClosedFormLr(Optimizer<?> optimizer) {
        this.optimizer = optimizer;
        this.baseLrs = new double[optimizer.groupCount()];
        for (int g = 0; g < baseLrs.length; g++) {
            baseLrs[g] = optimizer.lr(g);
        }
        apply();
    }

    /** The learning rate of group {@code group} at step {@code t} ≥ 0. */
    protected abstract double lr(int group, int t);

    /** The learning rate group {@code group} had when this schedule was built. */
    protected final double baseLr(int group) {
        return baseLrs[group];
    }

    /** Number of {@link #step()} calls so far (PyTorch's {@code last_epoch}). */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** The learning rate this schedule gives group {@code group} now. */
    public final double lastLr(int group) {
        return lr(group, lastEpoch);
    }

    @Override
    public void step() {
        lastEpoch++;
        apply();
    }

    private void apply() {
        for (int g = 0; g < baseLrs.length; g++) {
            optimizer.setLr(g, lr(g, lastEpoch));
        }
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("last_epoch", Tensors.scalar(lastEpoch, DType.INT64));
        m.put("base_lrs", Tensors.of(baseLrs.clone()));
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        Set<String> unknown = new TreeSet<>(state.keySet());
        unknown.removeAll(Set.of("last_epoch", "base_lrs"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown scheduler state " + unknown);
        }
        int epoch = (int) StateEntry.integer(state, "last_epoch");
        Tensor base = StateEntry.get(state, "base_lrs");
        if (base.dim() != 1 || base.size(0) != baseLrs.length) {
            throw new IllegalArgumentException("base_lrs has shape " + base.shape() + ", the optimizer has "
                    + baseLrs.length + " parameter groups");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("last_epoch must be ≥ 0, got " + epoch);
        }
        System.arraycopy(base.toDoubleArray(), 0, baseLrs, 0, baseLrs.length);
        lastEpoch = epoch;
        apply();
    }
}
