package fathom.train;

import fathom.Tensor;
import java.util.Map;

/**
 * A callback whose state a checkpoint carries: {@link CheckpointCallback} saves {@link #stateDict()} as
 * {@code callback.<stateName>.<key>} and {@link Trainer#resumeFrom} loads it back, so a resumed run
 * decides as the uninterrupted run would (early stopping's best value and epochs waited, for example).
 * The checkpoint is written in {@code onEpochEnd}, so such a callback must come before the
 * {@link CheckpointCallback} in the trainer's list (it checks this when training begins).
 */
public interface StatefulCallback extends Callback {
    /** The name its state is saved under: unique among a trainer's callbacks, without dots ({@code early_stopping}). */
    String stateName();

    /** The state as named tensors (0-d values and counters, as a scheduler's state dict). */
    Map<String, Tensor> stateDict();

    /**
     * Restores {@link #stateDict()}.
     *
     * @throws IllegalArgumentException naming a missing, unknown or malformed entry
     */
    void loadStateDict(Map<String, Tensor> state);
}
