package fathom.optim;

import fathom.Tensor;
import java.util.Map;

/**
 * Sets the learning rates of an {@link Optimizer}'s parameter groups as training goes on; call
 * {@link #step()} once after each {@code optimizer.step()} (or each epoch, as the schedule's unit is),
 * or {@link #step(double)} with the monitored metric for {@link ReduceLrOnPlateau}.
 *
 * <p>A schedule applies its value for step 0 when it is built, as PyTorch's schedulers do. Its
 * {@link #stateDict()} holds only counters and base rates: build the scheduler again with the same
 * arguments over the restored optimizer, then {@link #loadStateDict(Map)}.
 */
public interface LrScheduler {
    /** Advances one step and sets each group's learning rate. */
    void step();

    /**
     * Advances one step given the monitored metric (e.g. validation loss); schedules that depend only
     * on the step count ignore it, so a training loop can call this on any scheduler.
     */
    default void step(double metric) {
        step();
    }

    /** The counters and rates a resumed run needs (copies), as 0-d or 1-d tensors. */
    Map<String, Tensor> stateDict();

    /**
     * Restores {@link #stateDict()}; a schedule that is a function of the step count also sets the
     * optimizer's learning rates, {@link ReduceLrOnPlateau} leaves them to the optimizer's state dict.
     *
     * @throws IllegalArgumentException naming a missing, unknown or malformed entry
     */
    void loadStateDict(Map<String, Tensor> state);
}
