package fathom.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}: every method has an empty default, so a callback implements only
 * what it needs. {@code logs} maps names such as {@code loss}, {@code accuracy}, {@code val_loss},
 * {@code lr} to the epoch's values.
 */
public interface Callback {
    default void onTrainBegin(TrainState state) {}

    default void onEpochBegin(TrainState state) {}

    /** After each optimizer step, with that batch's loss. */
    default void onBatchEnd(TrainState state, double loss) {}

    /** After the epoch and its validation; a callback may call {@link TrainState#requestStop()}. */
    default void onEpochEnd(TrainState state, Map<String, Double> logs) {}

    default void onTrainEnd(TrainState state) {}
}
