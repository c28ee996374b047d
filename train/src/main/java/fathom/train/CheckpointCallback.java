package fathom.train;

import fathom.Rng;
import fathom.optim.LrScheduler;
import java.nio.file.Path;
import java.util.Map;

/**
 * After every epoch, writes {@code checkpoint.safetensors} (everything needed to resume, see
 * {@link Checkpoint}) and {@code model.safetensors} (the weights alone, loadable by PyTorch) into
 * {@code dir}, both atomically.
 */
public final class CheckpointCallback implements Callback {
    private final Path dir;
    private final LrScheduler scheduler;
    private final Map<String, Rng> rngs;
    private final Map<String, String> metadata;

    /** {@code rngs} are the generators training draws from (the loader's shuffling, dropout's, ...), saved by name. */
    public CheckpointCallback(Path dir, LrScheduler scheduler, Map<String, Rng> rngs, Map<String, String> metadata) {
        this.dir = dir;
        this.scheduler = scheduler;
        this.rngs = rngs;
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        Checkpoint.save(dir.resolve("checkpoint.safetensors"), state.model(), state.optimizer(), scheduler, rngs,
                state.epoch() + 1, state.step(), metadata);
        try {
            state.model().save(dir.resolve("model.safetensors"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not write " + dir.resolve("model.safetensors"), e);
        }
    }
}
