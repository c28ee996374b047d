package fathom.train;

import fathom.Tensor;
import java.util.Map;

/**
 * A quantity accumulated over batches, such as accuracy: {@link #update} with each batch's model
 * output and targets, {@link #values()} for the result so far, {@link #reset()} between epochs.
 */
public interface Metric {
    /** Adds one batch: {@code output} as the model returned it (logits [B, C] for classifiers), {@code target} as the loader gave it. */
    void update(Tensor output, Tensor target);

    /** The values so far, by name (for example {@code accuracy}). */
    Map<String, Double> values();

    void reset();
}
