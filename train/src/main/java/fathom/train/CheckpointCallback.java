package fathom.train;

import fathom.Rng;
import fathom.optim.LrScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * After every epoch, writes {@code checkpoint.safetensors} (everything needed to resume, see
 * {@link Checkpoint}, including the state of every {@link StatefulCallback} of the fit) and
 * {@code model.safetensors} (the weights alone, loadable by PyTorch) into {@code dir}, both atomically.
 *
 * <p>It saves what the other callbacks hold when its own {@code onEpochEnd} runs, so put it after the
 * callbacks that change state at an epoch's end: the {@link ScheduleCallback} of {@code scheduler} and
 * every {@link StatefulCallback} (a stateful callback after it is refused when training begins).
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
    public void onTrainBegin(TrainState state) {
        List<Callback> callbacks = state.callbacks();
        int at = callbacks.indexOf(this);
        for (Callback c : callbacks.subList(at < 0 ? callbacks.size() : at + 1, callbacks.size())) {
            if (c instanceof StatefulCallback s) {
                throw new IllegalArgumentException("callback '" + s.stateName() + "' comes after the checkpoint callback: its"
                        + " state would be saved as it was before the epoch ended; put it before the checkpoint callback");
            }
        }
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        Checkpoint.save(dir.resolve("checkpoint.safetensors"), state.model(), state.optimizer(), scheduler, rngs,
                state.callbackState(), state.epoch() + 1, state.step(), metadata);
        try {
            state.model().save(dir.resolve("model.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + dir.resolve("model.safetensors"), e);
        }
    }
}
